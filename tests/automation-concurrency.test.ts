import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { count, eq, sql } from "drizzle-orm";
import type { Connection, Db } from "@/db/client";
import { accounts, emailDigests, notifications, orders, ruleFirings, stageEntries, stores } from "@/db/schema";
import { seedBase } from "@/lib/demo/seed";
import { onlyCardRules } from "./fixtures";
import { runAutomations } from "@/lib/automation/runner";
import type { OrderState, StageKey } from "@/lib/workflow";
import { onServer, testDatabase } from "./database";
import { startFakeResend } from "./fake-resend";

/**
 * Ten automation passes started at once over many overdue orders. On the PostgreSQL server they
 * really run in parallel (a pool of 20 connections); on PGlite, which has one connection, they
 * interleave at every query, so the same guarantees are checked on fewer orders.
 */
const ORDERS = onServer() ? 500 : 100;
const PASSES = 10;
const HOUR = 3600_000;

let conn: Connection;
let fake: Awaited<ReturnType<typeof startFakeResend>>;
const now = new Date("2026-06-01T09:00:00.000Z");

/** Inserts orders straight into their stage, with their stage entries: fast, for bulk. */
async function insertOrders(db: Db, n: number, opts: { storeId: number; stage: StageKey; state: OrderState; dueAt: Date }) {
  const rows = await db
    .insert(orders)
    .values(
      Array.from({ length: n }, (_, i) => ({
        storeId: opts.storeId,
        stage: opts.stage,
        state: opts.state,
        stageEnteredAt: new Date(opts.dueAt.getTime() - 120 * HOUR),
        stageDueAt: opts.dueAt,
        fields: { productSpecifications: `Bulk test order ${i}`, orderQuantity: 1 },
        productSummary: `Bulk test order ${i}`,
        createdAt: new Date(opts.dueAt.getTime() - 130 * HOUR),
      })),
    )
    .returning({ id: orders.id, stageEnteredAt: orders.stageEnteredAt, stageDueAt: orders.stageDueAt });
  await db.insert(stageEntries).values(rows.map((o) => ({ orderId: o.id, stage: opts.stage, enteredAt: o.stageEnteredAt, dueAt: o.stageDueAt })));
  return rows.map((r) => r.id);
}

beforeAll(async () => {
  // The fake Resend must be known before the app first reads its environment.
  fake = await startFakeResend();
  vi.stubEnv("RESEND_API_KEY", "re_test_concurrency");
  vi.stubEnv("RESEND_BASE_URL", fake.url);
  // This fake has no rate limit: pace only as a guard.
  vi.stubEnv("RESEND_RATE_PER_SECOND", "1000");
  conn = await testDatabase();
  await seedBase(conn.db);
  await onlyCardRules(conn.db);
  await conn.db.insert(accounts).values({ email: "production2@example.com", name: "Pia Production", passwordHash: "x", roles: ["productionTeam"] });
});
afterAll(async () => {
  await conn?.close();
  await fake?.close();
  vi.unstubAllEnvs();
});

describe(`${PASSES} automation passes at once over ${ORDERS} overdue orders (${onServer() ? "PostgreSQL server" : "PGlite"})`, () => {
  test("each order escalates once per recipient and each email is sent exactly once", async () => {
    const [north] = await conn.db.select().from(stores).where(eq(stores.code, "north"));
    await insertOrders(conn.db, ORDERS, { storeId: north.id, stage: "inProduction", state: "active", dueAt: new Date(now.getTime() - HOUR) });
    // Controls: due exactly now (counts as overdue), not yet due, and overdue but on hold.
    // (The card's escalation watches the stages Production works in: Receiving by Dispatch is one.)
    const dueNow = await insertOrders(conn.db, 5, { storeId: north.id, stage: "dispatchReceiving", state: "active", dueAt: now });
    const notYet = await insertOrders(conn.db, 5, { storeId: north.id, stage: "inProduction", state: "active", dueAt: new Date(now.getTime() + 1) });
    const onHold = await insertOrders(conn.db, 5, { storeId: north.id, stage: "dispatchReceiving", state: "onHold", dueAt: new Date(now.getTime() - HOUR) });
    const expectedOrders = ORDERS + dueNow.length;
    const production = await conn.db.select({ id: accounts.id }).from(accounts).where(sql`'productionTeam' = any(${accounts.roles})`);
    expect(production).toHaveLength(2);

    const started = performance.now();
    const summaries = await Promise.all(Array.from({ length: PASSES }, () => runAutomations({ db: conn.db, now })));
    const elapsed = performance.now() - started;

    const firings = await conn.db.select({ n: count() }).from(ruleFirings);
    const perRecipient = await conn.db
      .select({ accountId: notifications.accountId, n: count(), sent: sql<number>`count(*) filter (where ${notifications.emailStatus} = 'sent')`.mapWith(Number) })
      .from(notifications)
      .groupBy(notifications.accountId);
    const keys = fake.requests.map((r) => r.idempotencyKey);
    const distinctKeys = new Set(keys);
    const totals = summaries.reduce((t, s) => ({ fired: t.fired + s.fired, notified: t.notified + s.notified, sent: t.sent + s.sent, evaluated: t.evaluated + s.evaluated }), { fired: 0, notified: 0, sent: 0, evaluated: 0 });

    console.log(
      `[concurrency] ${PASSES} passes at once over ${ORDERS} overdue orders (+${dueNow.length} due exactly now) on ${onServer() ? "PostgreSQL" : "PGlite"}: ` +
        `${elapsed.toFixed(0)} ms; firings ${firings[0].n}; notifications per recipient ${perRecipient.map((r) => r.n).join(" / ")}; ` +
        `emails requested ${keys.length}, distinct idempotency keys ${distinctKeys.size}; summed over passes: evaluated ${totals.evaluated}, fired ${totals.fired}, notified ${totals.notified}, sent ${totals.sent}`,
    );

    expect(firings[0].n).toBe(expectedOrders);
    expect(perRecipient).toHaveLength(2);
    for (const r of perRecipient) {
      expect(r.n).toBe(expectedOrders);
      expect(r.sent).toBe(expectedOrders);
    }
    // Grouped: one email per recipient per pass for what that pass locked (above 3), each
    // notification in exactly one email, each email requested once with its own key.
    const [{ singles }] = await conn.db.select({ singles: count() }).from(notifications).where(sql`${notifications.digestId} is null and ${notifications.emailStatus} = 'sent'`);
    const [{ digests }] = await conn.db.select({ digests: count() }).from(emailDigests).where(eq(emailDigests.emailStatus, "sent"));
    console.log(`[concurrency] emails: ${digests} grouped + ${singles} single = ${keys.length} requests for ${2 * expectedOrders} notifications`);
    expect(distinctKeys.size).toBe(keys.length);
    expect(keys).toHaveLength(digests + singles);
    expect(keys.length).toBeLessThanOrEqual(2 * PASSES * 4);
    expect(totals.fired).toBe(expectedOrders);
    expect(totals.notified).toBe(2 * expectedOrders);
    expect(totals.sent).toBe(keys.length);
    expect(fake.requests.every((r) => r.authorization === "Bearer re_test_concurrency")).toBe(true);

    const untouched = await conn.db.select({ n: count() }).from(ruleFirings).where(sql`${ruleFirings.orderId} in ${[...notYet, ...onHold]}`);
    expect(untouched[0].n).toBe(0);

    // A pass repeated later finds nothing new to fire or send.
    const again = await runAutomations({ db: conn.db, now });
    expect(again).toMatchObject({ fired: 0, notified: 0, sent: 0 });
    expect(fake.requests).toHaveLength(keys.length);
  }, 180_000);
});
