import { count, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Connection } from "@/db/client";
import { accounts, auditLog, automationRules, devMailbox, notifications, orderHistory, orders, ruleFirings, signInThrottle, stores } from "@/db/schema";
import { runAutomations } from "@/lib/automation/runner";
import { seedBase } from "@/lib/demo/seed";
import { testDatabase } from "./database";

/**
 * Retention on the automation pass's schedule: old read alerts, expired throttle rows, old
 * mailbox rows and the firings of closed orders go; unread alerts, live throttle rows, the
 * firings of active orders, the audit log and order history stay.
 */
let conn: Connection;
const DAY = 86_400_000;
const now = new Date();
const ago = (days: number) => new Date(now.getTime() - days * DAY);

beforeAll(async () => {
  conn = await testDatabase();
  await seedBase(conn.db);
});
afterAll(() => conn.close());

test("one pass prunes what is old and keeps the rest", async () => {
  const db = conn.db;
  const [store] = await db.select({ id: stores.id }).from(stores).limit(1);
  const [admin] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, "admin@example.com"));
  const [rule] = await db.select({ id: automationRules.id }).from(automationRules).limit(1);
  const order = async (state: "active" | "completed") =>
    (await db.insert(orders).values({ storeId: store.id, stage: "inProduction", state, stageEnteredAt: ago(400), stageDueAt: new Date(now.getTime() + 86_400_000 * 400), fields: {}, productSummary: `Retention ${state}` }).returning({ id: orders.id }))[0].id;
  const active = await order("active");
  const closed = await order("completed");
  const firing = async (orderId: number, occasion: string, firedAt: Date) =>
    (await db.insert(ruleFirings).values({ ruleId: rule.id, orderId, occasion, firedAt }).returning({ id: ruleFirings.id }))[0].id;
  const oldClosedFiring = await firing(closed, "old-closed", ago(400));
  const oldActiveFiring = await firing(active, "old-active", ago(400));
  const recentClosedFiring = await firing(closed, "recent-closed", ago(10));
  const alert = (values: Partial<typeof notifications.$inferInsert>) =>
    db.insert(notifications).values({ accountId: admin.id, orderId: active, message: "m", priority: "normal", emailStatus: "sent", ...values }).returning({ id: notifications.id });
  const [oldRead] = await alert({ message: "old read", readAt: ago(91), createdAt: ago(100) });
  const [oldUnread] = await alert({ message: "old unread", createdAt: ago(200) });
  const [recentRead] = await alert({ message: "recent read", readAt: ago(89), createdAt: ago(95) });
  const [oldReadPending] = await alert({ message: "old read, email pending", readAt: ago(120), emailStatus: "pending", emailNextAttemptAt: new Date(now.getTime() + DAY) });
  await db.insert(signInThrottle).values([
    { key: "ip:expired", failures: 3, windowStartedAt: ago(1), lockedUntil: null },
    { key: "ip:locked", failures: 20, windowStartedAt: new Date(now.getTime() - 60_000), lockedUntil: new Date(now.getTime() + 14 * 60_000) },
  ]);
  await db.insert(devMailbox).values([
    { idempotencyKey: "old", to: "a@x", from: "b@x", subject: "s", html: "h", text: "t", createdAt: ago(31) },
    { idempotencyKey: "new", to: "a@x", from: "b@x", subject: "s", html: "h", text: "t", createdAt: ago(29) },
  ]);
  const auditBefore = (await db.select({ n: count() }).from(auditLog))[0].n;
  const historyBefore = (await db.select({ n: count() }).from(orderHistory))[0].n;

  const summary = await runAutomations({ db, now, budgetMs: 0 });
  expect(summary.pruned).toEqual({ readAlerts: 1, throttle: 1, mailbox: 1, firings: 1 });

  const left = await db.select({ id: notifications.id }).from(notifications).where(inArray(notifications.id, [oldRead.id, oldUnread.id, recentRead.id, oldReadPending.id]));
  expect(left.map((r) => r.id).sort()).toEqual([oldUnread.id, recentRead.id, oldReadPending.id].sort());
  expect((await db.select({ key: signInThrottle.key }).from(signInThrottle)).map((r) => r.key)).toEqual(["ip:locked"]);
  expect((await db.select({ key: devMailbox.idempotencyKey }).from(devMailbox)).map((r) => r.key)).toEqual(["new"]);
  const firings = (await db.select({ id: ruleFirings.id }).from(ruleFirings)).map((r) => r.id);
  expect(firings).not.toContain(oldClosedFiring);
  expect(firings).toEqual(expect.arrayContaining([oldActiveFiring, recentClosedFiring]));
  expect((await db.select({ n: count() }).from(auditLog))[0].n).toBe(auditBefore);
  expect((await db.select({ n: count() }).from(orderHistory))[0].n).toBe(historyBefore);

  // Nothing left to prune: the next pass says nothing about it.
  expect((await runAutomations({ db, now, budgetMs: 0 })).pruned).toBeUndefined();
});
