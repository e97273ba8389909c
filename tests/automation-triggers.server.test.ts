import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { and, count, eq, inArray, sql } from "drizzle-orm";
import type { Connection, Db } from "@/db/client";
import { accounts, automationRules, emailDigests, notifications, orders, ruleFirings, stageEntries, stores } from "@/db/schema";
import { applyStageEnteredRules } from "@/lib/automation/field-rules";
import { evaluateTimeRulesPass, runAutomations } from "@/lib/automation/runner";
import { seedBase } from "@/lib/demo/seed";
import type { StageKey } from "@/lib/workflow";
import { onServer, testDatabase } from "./database";

/**
 * Exactly once under concurrency, per trigger: ten passes (or ten transactions for "enters
 * stage") at once on a PostgreSQL server. Each trigger is the only enabled rule while it runs.
 */
const HOUR = 3600_000;
const PASSES = 10;
const ORDERS = 300;
let conn: Connection;
let storeId: number;
const now = new Date("2026-06-01T09:00:00.000Z");

async function insertOrders(db: Db, n: number, o: { stage: StageKey; enteredAt: Date; requiredDeliveryDate?: string }) {
  const dueAt = new Date(o.enteredAt.getTime() + (o.stage === "inProduction" ? 120 : 24) * HOUR);
  const rows = await db
    .insert(orders)
    .values(Array.from({ length: n }, (_, i) => ({ storeId, stage: o.stage, state: "active" as const, stageEnteredAt: o.enteredAt, stageDueAt: dueAt, requiredDeliveryDate: o.requiredDeliveryDate ?? null, fields: { productSpecifications: `Trigger test ${i}` }, productSummary: `Trigger test ${i}` })))
    .returning({ id: orders.id });
  const entries = await db.insert(stageEntries).values(rows.map((r) => ({ orderId: r.id, stage: o.stage, enteredAt: o.enteredAt, dueAt }))).returning({ id: stageEntries.id, orderId: stageEntries.orderId });
  return entries;
}

async function only(key: string) {
  await conn.db.update(automationRules).set({ enabled: sql`${automationRules.key} = ${key}` }).where(sql`true`);
  return (await conn.db.select().from(automationRules).where(eq(automationRules.key, key)))[0].id;
}
const firingsOf = async (ruleId: number, ids: number[]) =>
  (await conn.db.select({ n: count() }).from(ruleFirings).where(and(eq(ruleFirings.ruleId, ruleId), inArray(ruleFirings.orderId, ids))))[0].n;
const notificationsOf = async (ruleId: number) =>
  (await conn.db.select({ n: count() }).from(notifications).innerJoin(ruleFirings, eq(ruleFirings.id, notifications.firingId)).where(eq(ruleFirings.ruleId, ruleId)))[0].n;

describe("each trigger fires once per rule, order and occasion under 10 concurrent passes (PostgreSQL)", () => {
  beforeAll(async () => {
    if (!onServer()) throw new Error("needs DATABASE_URL");
    conn = await testDatabase();
    await seedBase(conn.db);
    storeId = (await conn.db.select().from(stores).where(eq(stores.code, "north")))[0].id;
  });
  afterAll(() => conn?.close());

  for (const [key, stage, hoursIn, extra] of [
    ["stage-at-risk-to-owner", "inProduction", 80, {}],
    ["stage-overdue-to-owner", "inProduction", 130, {}],
    // The card's escalation watches the stages Production works in: Receiving by Dispatch is one.
    ["stage-overdue-escalation", "dispatchReceiving", 30, {}],
  ] as const) {
    test(`${key}: ${ORDERS} orders, ${PASSES} passes at once`, async () => {
      const ruleId = await only(key);
      const total = async () => (await conn.db.select({ n: count() }).from(ruleFirings).where(eq(ruleFirings.ruleId, ruleId)))[0].n;
      const before = await total();
      const entries = await insertOrders(conn.db, ORDERS, { stage, enteredAt: new Date(now.getTime() - hoursIn * HOUR), ...extra });
      const ids = entries.map((e) => e.orderId);
      const results = await Promise.all(Array.from({ length: PASSES }, () => evaluateTimeRulesPass(conn.db, now)));
      const fired = results.reduce((s, r) => s + r.fired, 0);
      const n = await firingsOf(ruleId, ids);
      console.log(`[triggers] ${key}: ${PASSES} passes → ${n} firings for ${ORDERS} orders (summed fired ${fired}), ${await notificationsOf(ruleId)} notifications`);
      expect(n).toBe(ORDERS);
      // Summed over the passes, the firings they report are exactly the rows that exist (earlier
      // tests' orders that this rule had not fired for included).
      expect(fired).toBe((await total()) - before);
      expect((await evaluateTimeRulesPass(conn.db, now)).fired).toBe(0);
    }, 120_000);
  }

  test(`delivery-at-risk: ${ORDERS} orders, ${PASSES} passes at once`, async () => {
    const [rule] = await conn.db
      .insert(automationRules)
      .values({ key: "delivery-risk-test", name: "Delivery at risk", trigger: { type: "delivery_at_risk" }, recipients: [{ kind: "storeManagers" }, { kind: "stageOwner" }], message: "Delivery at risk" })
      .returning();
    await only(rule.key);
    // Entered production just now: due in 5 days, then 26 h more; delivery asked for in 2 days.
    const entries = await insertOrders(conn.db, ORDERS, { stage: "inProduction", enteredAt: now, requiredDeliveryDate: "2026-06-03" });
    const ids = entries.map((e) => e.orderId);
    await Promise.all(Array.from({ length: PASSES }, () => evaluateTimeRulesPass(conn.db, now)));
    const n = await firingsOf(rule.id, ids);
    console.log(`[triggers] delivery-at-risk: ${PASSES} passes → ${n} firings for ${ORDERS} orders`);
    expect(n).toBe(ORDERS);
  }, 120_000);

  test(`new order (enters stage): ${PASSES} concurrent evaluations per stage entry`, async () => {
    const ruleId = await only("new-order-to-dispatch");
    const entries = await insertOrders(conn.db, 30, { stage: "dispatchReceiving", enteredAt: now });
    await Promise.all(
      entries.flatMap((e) =>
        Array.from({ length: PASSES }, () => conn.db.transaction((tx) => applyStageEnteredRules(tx, { id: e.orderId, storeId, stage: "dispatchReceiving", state: "active" }, e.id, now))),
      ),
    );
    const n = await firingsOf(ruleId, entries.map((e) => e.orderId));
    console.log(`[triggers] new-order-to-dispatch: ${PASSES}×30 concurrent evaluations → ${n} firings`);
    expect(n).toBe(30);
  }, 120_000);

  test("a 7,000-order overdue pass: how many emails", async () => {
    // A database of its own, so the earlier tests' orders are not part of the measurement.
    await conn.close();
    conn = await testDatabase();
    await seedBase(conn.db);
    await conn.db.update(automationRules).set({ enabled: sql`${automationRules.key} in ('stage-overdue-escalation', 'stage-overdue-to-owner')` }).where(sql`true`);
    await conn.db.insert(accounts).values({ email: "production2@example.com", name: "Pia Production", passwordHash: "x", roles: ["productionTeam"] }).onConflictDoNothing();
    await insertOrders(conn.db, 7000, { stage: "inProduction", enteredAt: new Date(now.getTime() - 200 * HOUR) });
    const later = new Date(now.getTime() + HOUR);
    const sent: string[] = [];
    const mailer = { name: "devMailbox" as const, send: async (e: { idempotencyKey: string }) => (sent.push(e.idempotencyKey), { status: "sent" as const, providerId: null }) };
    const started = performance.now();
    const summary = await runAutomations({ db: conn.db, now: later, mailer, budgetMs: 120_000 });
    const ms = performance.now() - started;
    const digests = (await conn.db.select({ n: count() }).from(emailDigests).where(eq(emailDigests.createdAt, later)))[0].n;
    console.log(`[measure] 7,000 overdue orders, 2 overdue rules, 2 production accounts: ${summary.fired} firings, ${summary.notified} notifications, ${sent.length} emails (${digests} grouped), ${ms.toFixed(0)} ms; without grouping: ${summary.notified}`);
    expect(summary.fired).toBe(14000);
    expect(sent.length).toBe(2);
    expect(new Set(sent).size).toBe(sent.length);
  }, 300_000);
});
