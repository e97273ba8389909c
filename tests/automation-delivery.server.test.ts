import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { count, eq, sql } from "drizzle-orm";
import type { Connection } from "@/db/client";
import { accounts, automationRules, notifications, orders, ruleFirings, stageEntries, stores } from "@/db/schema";
import { runAutomations } from "@/lib/automation/runner";
import { resendMailer } from "@/lib/email/send";
import { seedBase } from "@/lib/demo/seed";
import { onServer, testDatabase } from "./database";
import { startFakeResend } from "./fake-resend";

/**
 * Two whole passes at once on PostgreSQL (evaluation and delivery, each sending 12 emails at a
 * time to a fake Resend that answers in 15–20 ms and limits requests a second), over orders
 * whose overdue alert goes to the person assigned: two orders each for 150 people, so every
 * alert is an email of its own. Each firing exists once and each email is delivered once.
 */

const HOUR = 3600_000;
const PEOPLE = 150;
const ORDERS = 300;
const now = new Date("2026-06-01T09:00:00.000Z");
let conn: Connection;
let fake: Awaited<ReturnType<typeof startFakeResend>>;

beforeAll(async () => {
  if (!onServer()) throw new Error("needs DATABASE_URL");
  fake = await startFakeResend({ latencyMs: [15, 20], perSecond: 100 });
  conn = await testDatabase();
  await seedBase(conn.db);
});
afterAll(async () => {
  await conn?.close();
  await fake?.close();
});

describe("two passes at once, each sending concurrently (PostgreSQL)", () => {
  test(`${ORDERS} overdue orders, one email each: fired once, delivered once`, async () => {
    const db = conn.db;
    await db.update(automationRules).set({ enabled: false }).where(sql`true`);
    const [rule] = await db
      .insert(automationRules)
      .values({ key: "overdue-to-assignee", name: "Overdue to the assignee", trigger: { type: "stage_overdue" }, recipients: [{ kind: "assignee" }], message: "Your order is overdue" })
      .returning();
    const people = await db
      .insert(accounts)
      .values(Array.from({ length: PEOPLE }, (_, i) => ({ email: `maker-${i}@example.com`, name: `Maker ${i}`, passwordHash: "x", roles: ["productionTeam" as const] })))
      .returning({ id: accounts.id });
    const [store] = await db.select({ id: stores.id }).from(stores).limit(1);
    const enteredAt = new Date(now.getTime() - 130 * HOUR);
    const dueAt = new Date(now.getTime() - 10 * HOUR);
    const made = await db
      .insert(orders)
      .values(Array.from({ length: ORDERS }, (_, i) => ({ storeId: store.id, stage: "inProduction" as const, state: "active" as const, stageEnteredAt: enteredAt, stageDueAt: dueAt, fields: {}, productSummary: `Assigned ${i}` })))
      .returning({ id: orders.id });
    await db.insert(stageEntries).values(made.map((o, i) => ({ orderId: o.id, stage: "inProduction" as const, enteredAt, dueAt, assignedTo: people[i % PEOPLE].id })));

    // Both passes share one mailer, so one pacer, at the fake's limit.
    const mailer = resendMailer({ apiKey: "re_test_two_passes", baseUrl: fake.url, from: "Makeline <alerts@makeline.local>", ratePerSecond: 100 });
    const started = performance.now();
    const [a, b] = await Promise.all([runAutomations({ db, now, mailer }), runAutomations({ db, now, mailer })]);
    const ms = performance.now() - started;

    const [{ firings }] = await db.select({ firings: count() }).from(ruleFirings).where(eq(ruleFirings.ruleId, rule.id));
    const rows = await db.select({ status: notifications.emailStatus, digest: notifications.digestId }).from(notifications);
    const keys = fake.requests.map((r) => r.idempotencyKey);
    console.log(
      `[two passes] ${ORDERS} orders, ${ms.toFixed(0)} ms: fired ${a.fired} + ${b.fired}, sent ${a.sent} + ${b.sent}, 429s ${(a.rateLimited ?? 0) + (b.rateLimited ?? 0)}; ` +
        `${keys.length} requests, ${fake.delivered()} delivered, ${fake.stats.duplicates} repeated keys`,
    );
    expect(firings).toBe(ORDERS);
    expect(a.fired + b.fired).toBe(ORDERS);
    expect(a.notified + b.notified).toBe(ORDERS);
    expect(rows).toHaveLength(ORDERS);
    expect(rows.every((r) => r.status === "sent" && r.digest === null)).toBe(true);
    expect(a.sent + b.sent).toBe(ORDERS);
    expect(fake.delivered()).toBe(ORDERS);
    // Each email was asked for once (a 429 answer and its retry aside): no key was delivered twice.
    expect(fake.stats.duplicates).toBe(0);
    expect(keys.length).toBe(ORDERS + fake.stats.rateLimited);

    // Again, both at once: nothing new to fire or send.
    const again = await Promise.all([runAutomations({ db, now, mailer }), runAutomations({ db, now, mailer })]);
    for (const r of again) expect(r).toMatchObject({ fired: 0, notified: 0, sent: 0 });
    expect(fake.delivered()).toBe(ORDERS);
  }, 120_000);
});
