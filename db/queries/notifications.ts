import "server-only";
import { and, count, desc, eq, isNotNull, isNull, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor } from "../client";
import { accounts, automationRules, notificationPreferences, notifications, orders, ruleFirings, stores } from "../schema";
import type { EmailMode } from "../schema";
import { type Actor, isAdministrator } from "@/lib/workflow";
import { scopeCondition } from "./orders";

/**
 * The alerts the account may still read: about orders in its scope and, while it administers
 * accounts, account alerts (lib/auth/lock-alert.ts). Read with orders left-joined.
 */
function visibleTo(actor: Actor) {
  const aboutOrders = and(isNotNull(notifications.orderId), scopeCondition(actor));
  return isAdministrator(actor.roles) ? or(aboutOrders, isNotNull(notifications.aboutAccountId)) : aboutOrders;
}

/** The unread count is exact up to this; past it, pages show "99+". */
export const UNREAD_SHOWN_UP_TO = 99;

/**
 * Unread notifications the account may still read (the set the inbox lists), counted up to
 * UNREAD_SHOWN_UP_TO + 1: it is on every page, and reads no more than that many entries of
 * notifications_unread_idx (with their orders only when the account's stores narrow it).
 */
export async function unreadCount(db: Executor, actor: Actor) {
  const unread = and(eq(notifications.accountId, actor.id), isNull(notifications.readAt), visibleTo(actor));
  const capped = scopeCondition(actor)
    ? db.select({ one: sql`1` }).from(notifications).leftJoin(orders, eq(orders.id, notifications.orderId)).where(unread)
    : db.select({ one: sql`1` }).from(notifications).where(unread);
  const [row] = await db.select({ n: count() }).from(capped.limit(UNREAD_SHOWN_UP_TO + 1).as("capped"));
  return row?.n ?? 0;
}

/** The unread count as pages show it: the number, or "99+" past UNREAD_SHOWN_UP_TO. */
export const unreadLabel = (n: number) => (n > UNREAD_SHOWN_UP_TO ? `${UNREAD_SHOWN_UP_TO}+` : String(n));

const aboutAccount = alias(accounts, "about_account");

export const INBOX_PAGE_SIZE = 25;
/** The inbox is counted up to this many alerts; past it, "more than". */
export const INBOX_COUNTED_UP_TO = 1000;

/** The inbox's filters and page, as lib/inbox/filters.ts parses them from the URL. */
export type InboxFilter = { unread?: "1"; priority?: "low" | "normal" | "high"; /** A rule's id, or "mention" for mentions. */ rule?: number | "mention"; page: number };

/**
 * The account's notifications, unread first, newest first within each, a page at a time, and how
 * many there are up to INBOX_COUNTED_UP_TO. Orders the account can no longer read (a store
 * manager moved to another store) are left out, and so are account alerts once it no longer
 * administers accounts.
 */
export async function listInbox(db: Executor, actor: Actor, filter: Partial<InboxFilter> = {}) {
  const page = filter.page ?? 1;
  const where = and(
    eq(notifications.accountId, actor.id),
    visibleTo(actor),
    filter.unread ? isNull(notifications.readAt) : undefined,
    filter.priority ? eq(notifications.priority, filter.priority) : undefined,
    filter.rule === "mention"
      ? sql`${notifications.commentId} is not null`
      : filter.rule
        ? sql`exists (select 1 from ${ruleFirings} where ${ruleFirings.id} = ${notifications.firingId} and ${ruleFirings.ruleId} = ${filter.rule})`
        : undefined,
  );
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({
        id: notifications.id,
        message: notifications.message,
        priority: notifications.priority,
        createdAt: notifications.createdAt,
        readAt: notifications.readAt,
        orderId: notifications.orderId,
        productSummary: orders.productSummary,
        stage: orders.stage,
        state: orders.state,
        storeName: stores.name,
        ruleName: automationRules.name,
        commentId: notifications.commentId,
        aboutAccountId: notifications.aboutAccountId,
        aboutName: aboutAccount.name,
        aboutEmail: aboutAccount.email,
      })
      .from(notifications)
      .leftJoin(orders, eq(orders.id, notifications.orderId))
      .leftJoin(stores, eq(stores.id, orders.storeId))
      .leftJoin(aboutAccount, eq(aboutAccount.id, notifications.aboutAccountId))
      .leftJoin(ruleFirings, eq(ruleFirings.id, notifications.firingId))
      .leftJoin(automationRules, eq(automationRules.id, ruleFirings.ruleId))
      .where(where)
      // notifications_inbox_order_idx read backwards: unread first, then newest first.
      .orderBy(sql`(${notifications.readAt} is null) desc`, desc(notifications.createdAt), desc(notifications.id))
      .limit(INBOX_PAGE_SIZE)
      .offset((page - 1) * INBOX_PAGE_SIZE),
    db
      .select({ total: count() })
      .from(db.select({ one: sql`1` }).from(notifications).leftJoin(orders, eq(orders.id, notifications.orderId)).where(where).limit(INBOX_COUNTED_UP_TO + 1).as("capped")),
  ]);
  return { rows, total: Math.min(total, INBOX_COUNTED_UP_TO), more: total > INBOX_COUNTED_UP_TO };
}

/** Does the account have unread alerts about this order (the order page then marks them read)? */
export async function hasUnreadFor(db: Executor, actor: Actor, orderId: number) {
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.accountId, actor.id), eq(notifications.orderId, orderId), isNull(notifications.readAt)));
  return (row?.n ?? 0) > 0;
}

/** The account's email choices by topic, and its digest hour. */
export async function preferencesOf(db: Executor, accountId: number) {
  const [rows, [account]] = await Promise.all([
    db.select().from(notificationPreferences).where(eq(notificationPreferences.accountId, accountId)),
    db.select({ digestHour: accounts.digestHour }).from(accounts).where(eq(accounts.id, accountId)),
  ]);
  return { modes: Object.fromEntries(rows.map((r) => [r.topic, r.mode])) as Record<string, EmailMode>, digestHour: account?.digestHour ?? 8 };
}
