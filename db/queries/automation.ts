import "server-only";
import { and, asc, count, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { accounts, automationRules, notifications, orders, ruleFirings, stageEntries, stores } from "../schema";
import type { EmailStatus } from "../schema";

export async function listRules(db: Executor) {
  return db.select().from(automationRules).orderBy(asc(automationRules.id));
}

/** The firing log's filters and page, as lib/automation/filters.ts parses them from the URL. */
export type FiringLogQuery = { rule?: number; delivery?: "pending" | "sent" | "failed"; page: number };
export const FIRING_PAGE_SIZE = 25;
/** The log is counted up to this many firings; past it, "more than" (a pass can fire 100,000). */
export const FIRINGS_COUNTED_UP_TO = 1000;

/**
 * The firing log, newest first: each firing with its rule, order and recipients, and per
 * recipient the email's delivery state. `delivery` keeps firings with an email in that state.
 */
export async function listFirings(db: Executor, query: FiringLogQuery) {
  const where = and(
    query.rule ? eq(ruleFirings.ruleId, query.rule) : undefined,
    query.delivery
      ? sql`exists (select 1 from ${notifications} where ${notifications.firingId} = ${ruleFirings.id} and ${notifications.emailStatus} = ${query.delivery})`
      : undefined,
  );
  const [firings, [{ total }]] = await Promise.all([
    db
      .select({
        id: ruleFirings.id,
        firedAt: ruleFirings.firedAt,
        occasion: ruleFirings.occasion,
        ruleName: automationRules.name,
        orderId: ruleFirings.orderId,
        storeName: stores.name,
      })
      .from(ruleFirings)
      .innerJoin(automationRules, eq(automationRules.id, ruleFirings.ruleId))
      .innerJoin(orders, eq(orders.id, ruleFirings.orderId))
      .innerJoin(stores, eq(stores.id, orders.storeId))
      .where(where)
      .orderBy(desc(ruleFirings.firedAt), desc(ruleFirings.id))
      .limit(FIRING_PAGE_SIZE)
      .offset((query.page - 1) * FIRING_PAGE_SIZE),
    db.select({ total: count() }).from(db.select({ one: sql`1` }).from(ruleFirings).where(where).limit(FIRINGS_COUNTED_UP_TO + 1).as("capped")),
  ]);
  const ids = firings.map((f) => f.id);
  const recipients = ids.length
    ? await db
        .select({
          firingId: notifications.firingId,
          name: accounts.name,
          email: accounts.email,
          emailStatus: notifications.emailStatus,
          emailAttempts: notifications.emailAttempts,
          emailLastError: notifications.emailLastError,
          emailSentAt: notifications.emailSentAt,
          readAt: notifications.readAt,
        })
        .from(notifications)
        .innerJoin(accounts, eq(accounts.id, notifications.accountId))
        .where(inArray(notifications.firingId, ids))
        .orderBy(asc(accounts.name))
    : [];
  return {
    total: Math.min(total, FIRINGS_COUNTED_UP_TO),
    /** More firings match than `total`. */
    more: total > FIRINGS_COUNTED_UP_TO,
    rows: firings.map((f) => ({ ...f, recipients: recipients.filter((r) => r.firingId === f.id) })),
  };
}

/** How many notification emails are in each delivery state. */
export async function deliveryTotals(db: Executor): Promise<Record<EmailStatus, number>> {
  const rows = await db.select({ status: notifications.emailStatus, n: count() }).from(notifications).groupBy(notifications.emailStatus);
  const totals: Record<EmailStatus, number> = { pending: 0, sent: 0, failed: 0, skipped: 0 };
  for (const r of rows) totals[r.status] = r.n;
  return totals;
}

/** What the time triggers read of an order, with its open stage entry (join on `openStageEntry`). */
export const triggerFacts = {
  id: orders.id,
  storeId: orders.storeId,
  stage: orders.stage,
  state: orders.state,
  stageEnteredAt: orders.stageEnteredAt,
  stageDueAt: orders.stageDueAt,
  stageRiskAt: orders.stageRiskAt,
  requiredDeliveryDate: orders.requiredDeliveryDate,
  stageEntryId: stageEntries.id,
  dueRevision: stageEntries.dueRevision,
};
/** The order's entry in its current stage, still open. */
export const openStageEntry = and(eq(stageEntries.orderId, orders.id), eq(stageEntries.stage, orders.stage), isNull(stageEntries.completedAt));
