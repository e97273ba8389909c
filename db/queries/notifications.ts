import "server-only";
import { and, count, desc, eq, isNull, sql } from "drizzle-orm";
import { pageParam } from "@/lib/forms/input";
import type { Executor } from "../client";
import { automationRules, notifications, orders, ruleFirings, stores } from "../schema";
import type { Actor } from "@/lib/workflow";
import { scopeCondition } from "./orders";

/** Unread notifications on orders the account may still read: the same set the inbox lists. */
export async function unreadCount(db: Executor, actor: Actor) {
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .innerJoin(orders, eq(orders.id, notifications.orderId))
    .where(and(eq(notifications.accountId, actor.id), isNull(notifications.readAt), scopeCondition(actor)));
  return row?.n ?? 0;
}

export const INBOX_PAGE_SIZE = 25;

/** The inbox page number from the URL. */
export const inboxPageSchema = pageParam();

/**
 * The account's notifications, unread first, newest first within each. Orders the account can
 * no longer read (a store manager moved to another store) are left out.
 */
export async function listInbox(db: Executor, actor: Actor, page = 1) {
  const where = and(eq(notifications.accountId, actor.id), scopeCondition(actor));
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
      })
      .from(notifications)
      .innerJoin(orders, eq(orders.id, notifications.orderId))
      .innerJoin(stores, eq(stores.id, orders.storeId))
      .leftJoin(ruleFirings, eq(ruleFirings.id, notifications.firingId))
      .leftJoin(automationRules, eq(automationRules.id, ruleFirings.ruleId))
      .where(where)
      .orderBy(sql`${notifications.readAt} is null desc`, desc(notifications.createdAt), desc(notifications.id))
      .limit(INBOX_PAGE_SIZE)
      .offset((page - 1) * INBOX_PAGE_SIZE),
    db.select({ total: count() }).from(notifications).innerJoin(orders, eq(orders.id, notifications.orderId)).where(where),
  ]);
  return { rows, total };
}
