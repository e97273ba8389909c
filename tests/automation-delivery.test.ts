import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { eq, inArray, sql } from "drizzle-orm";
import type { Connection, Db } from "@/db/client";
import { accounts, notifications, orders, stores } from "@/db/schema";
import { deliverPendingEmails, recordSent } from "@/lib/email/outbox";
import { resendMailer } from "@/lib/email/send";
import { seedBase } from "@/lib/demo/seed";
import { testDatabase } from "./database";
import { startFakeResend } from "./fake-resend";

/**
 * Email delivery as the pass does it now: many emails in flight at once against a fake Resend
 * on 127.0.0.1 that answers after a latency and limits requests per second, sent rows recorded
 * together, and each email's idempotency key (its notification id) the same however often it
 * is tried.
 */

let conn: Connection;
let fake: Awaited<ReturnType<typeof startFakeResend>>;
let orderId: number;
const MINUTE = 60_000;

beforeAll(async () => {
  fake = await startFakeResend({ latencyMs: [15, 20], perSecond: 20 });
  conn = await testDatabase();
  await seedBase(conn.db);
  const [store] = await conn.db.select({ id: stores.id }).from(stores).limit(1);
  const [o] = await conn.db
    .insert(orders)
    .values({ storeId: store.id, stage: "inProduction", state: "active", stageEnteredAt: new Date(), stageDueAt: new Date(Date.now() + 60 * MINUTE), fields: {}, productSummary: "Delivery test" })
    .returning({ id: orders.id });
  orderId = o.id;
});
afterAll(async () => {
  await conn?.close();
  await fake?.close();
});

/** Paced at the fake's limit (20 a second); `Infinity`: as fast as the senders go, as before pacing. */
const mailer = (ratePerSecond = 20) => resendMailer({ apiKey: "re_test_delivery", baseUrl: fake.url, from: "Makeline <alerts@makeline.local>", ratePerSecond });

/** `people` new accounts with `each` immediate notifications apiece: at most 3 each, so every one is an email of its own. */
async function queue(db: Db, people: number, each: number, tag: string) {
  const made = await db
    .insert(accounts)
    .values(Array.from({ length: people }, (_, i) => ({ email: `${tag}-${i}@example.com`, name: `${tag} ${i}`, passwordHash: "x", roles: ["productionTeam" as const] })))
    .returning({ id: accounts.id });
  const rows = await db
    .insert(notifications)
    .values(made.flatMap((a) => Array.from({ length: each }, (_, k) => ({ accountId: a.id, orderId, message: `Note ${k}`, priority: "normal" as const, emailNextAttemptAt: new Date(Date.now() - MINUTE) }))))
    .returning({ id: notifications.id });
  return rows.map((r) => r.id);
}

const states = async (ids: string[]) => conn.db.select().from(notifications).where(inArray(notifications.id, ids));

describe("delivery in flight together, recorded together", () => {
  test("429s from a provider that says nothing of its limit before: every one waited out (Retry-After), each email delivered once with its own key", async () => {
    const quiet = await startFakeResend({ latencyMs: [15, 20] });
    quiet.respondWith(429, 429, 429);
    const ids = await queue(conn.db, 6, 2, "burst");
    const started = Date.now();
    const send = resendMailer({ apiKey: "re_test_delivery", baseUrl: quiet.url, from: "Makeline <alerts@makeline.local>", ratePerSecond: Number.POSITIVE_INFINITY });
    const pass = await deliverPendingEmails(conn.db, { mailer: send, budgetMs: 60_000 });
    const ms = Date.now() - started;
    const rows = await states(ids);
    console.log(`[delivery] ${ids.length} emails, three answered 429 first: ${ms} ms, ${quiet.requests.length} requests, 429s ${pass.rateLimited} (waited out ${pass.rateLimitWaits})`);
    expect(pass).toMatchObject({ sent: ids.length, retried: 0, failed: 0, rateLimited: 3, rateLimitWaits: 3 });
    expect(rows.every((r) => r.emailStatus === "sent" && r.emailAttempts === 1 && r.emailProviderId && r.emailLockedUntil === null)).toBe(true);
    expect(quiet.delivered()).toBe(ids.length);
    expect(quiet.requests).toHaveLength(ids.length + 3);
    expect(new Set(quiet.requests.map((r) => r.idempotencyKey))).toEqual(new Set(ids));
    // Every sender waited the second Retry-After asked for.
    expect(ms).toBeGreaterThanOrEqual(1000);
    await quiet.close();
  }, 60_000);

  test("paced at the provider's limit: (almost) no 429s, and the turns follow its rate-limit headers", async () => {
    const limited = await startFakeResend({ latencyMs: [15, 20], perSecond: 5 });
    const ids = await queue(conn.db, 10, 2, "paced");
    const started = Date.now();
    const send = resendMailer({ apiKey: "re_test_delivery", baseUrl: limited.url, from: "Makeline <alerts@makeline.local>", ratePerSecond: 5 });
    const pass = await deliverPendingEmails(conn.db, { mailer: send, budgetMs: 60_000 });
    const ms = Date.now() - started;
    console.log(`[delivery] paced: ${ids.length} emails at 5 a second: ${ms} ms, ${limited.requests.length} requests, 429s ${pass.rateLimited}`);
    expect(pass).toMatchObject({ sent: ids.length, retried: 0, failed: 0 });
    // The fake counts in fixed one-second windows, and on a loaded machine a timer fires late and a
    // turn lands in the next window: a 429 or two may slip through (unpaced: about one for every email).
    expect(pass.rateLimited).toBeLessThanOrEqual(3);
    expect(limited.delivered()).toBe(ids.length);
    // 20 emails at 5 a second take about four seconds.
    expect(ms).toBeGreaterThanOrEqual(3000);
    await limited.close();
  }, 60_000);

  test("a pacer that starts too fast slows to the limit the provider's headers state", async () => {
    fake.reset();
    const ids = await queue(conn.db, 20, 2, "headers");
    const send = mailer(200);
    const pass = await deliverPendingEmails(conn.db, { mailer: send, budgetMs: 60_000 });
    expect(pass).toMatchObject({ sent: ids.length, failed: 0 });
    expect(send.pacer?.ratePerSecond).toBe(20);
    // Only the requests before the first answer came back could overrun the window.
    expect(pass.rateLimited).toBeLessThanOrEqual(12);
    console.log(`[delivery] configured at 200 a second against a limit of 20: ${pass.rateLimited} × 429, rate now ${send.pacer?.ratePerSecond}`);
  }, 60_000);

  test("behind the provider's rate: two due alerts to one person go as one email; an alert tried before goes alone under its own key", async () => {
    fake.reset();
    // 7 people with 2 alerts each, 14 emails; the pass can start 12 in its 6 seconds at 2 a second.
    const fresh = await queue(conn.db, 7, 2, "behind");
    const tried = await queue(conn.db, 1, 2, "tried-before");
    await conn.db.update(notifications).set({ emailAttempts: 1, emailLastError: "500 before" }).where(inArray(notifications.id, tried));
    const pass = await deliverPendingEmails(conn.db, { mailer: mailer(2), budgetMs: 6_000 });
    expect(pass.grouped).toBe(7);
    // What the pass had no time for (on a loaded machine), the next one sends.
    await deliverPendingEmails(conn.db, { mailer: mailer(2), budgetMs: 60_000 });
    const rows = await states([...fresh, ...tried]);
    expect(rows.every((r) => r.emailStatus === "sent")).toBe(true);
    expect(new Set(rows.filter((r) => fresh.includes(r.id)).map((r) => r.digestId)).size).toBe(7);
    expect(rows.filter((r) => tried.includes(r.id)).every((r) => r.digestId === null)).toBe(true);
    const keys = fake.requests.map((r) => r.idempotencyKey);
    for (const id of tried) expect(keys).toContain(id);
    expect(fake.delivered()).toBe(9);
    console.log(`[delivery] behind the rate: 16 alerts in ${fake.delivered()} emails, ${pass.rateLimited} × 429`);
  }, 60_000);

  test("recordSent writes each row's own provider id, and leaves rows another sender recorded", async () => {
    const ids = await queue(conn.db, 3, 2, "record");
    const at = new Date("2026-06-01T09:00:00.000Z");
    // One was recorded by someone else already; one has failed before.
    await conn.db.update(notifications).set({ emailStatus: "sent", emailProviderId: "theirs", emailAttempts: 1 }).where(eq(notifications.id, ids[0]));
    await conn.db.update(notifications).set({ emailAttempts: 2, emailLastError: "500 before", emailLockedUntil: new Date() }).where(eq(notifications.id, ids[1]));
    await recordSent(conn.db, ids.map((id, i) => ({ id, providerId: `p-${i}` })), at);
    const rows = new Map((await states(ids)).map((r) => [r.id, r]));
    expect(rows.get(ids[0])).toMatchObject({ emailStatus: "sent", emailProviderId: "theirs", emailAttempts: 1 });
    // The attempt was counted when the row was claimed, not here.
    expect(rows.get(ids[1])).toMatchObject({ emailStatus: "sent", emailProviderId: "p-1", emailAttempts: 2, emailLastError: null, emailLockedUntil: null, emailSentAt: at });
    for (let i = 2; i < ids.length; i++) expect(rows.get(ids[i])).toMatchObject({ emailStatus: "sent", emailProviderId: `p-${i}`, emailAttempts: 0, emailSentAt: at });
    // Nothing else changed.
    const others = await conn.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(notifications).where(sql`${notifications.emailSentAt} = ${at.toISOString()}::timestamptz`);
    expect(others[0].n).toBe(ids.length - 1);
  });

  test("a pass run again sends nothing; a pass whose record was lost sends again with the same keys, and Resend drops them", async () => {
    fake.reset();
    const ids = await queue(conn.db, 10, 3, "rerun");
    await deliverPendingEmails(conn.db, { mailer: mailer() });
    expect(fake.delivered()).toBe(ids.length);
    const first = fake.requests.length;

    expect(await deliverPendingEmails(conn.db, { mailer: mailer() })).toMatchObject({ sent: 0, retried: 0, failed: 0 });
    expect(fake.requests).toHaveLength(first);

    // As if the sender died after the requests and before recording them: the rows are pending
    // again once the lease is gone, and the next pass asks again with the same keys.
    await conn.db.update(notifications).set({ emailStatus: "pending", emailSentAt: null, emailProviderId: null, emailAttempts: 0 }).where(inArray(notifications.id, ids));
    const again = await deliverPendingEmails(conn.db, { mailer: mailer() });
    expect(again.sent).toBe(ids.length);
    expect(fake.stats.duplicates).toBe(ids.length);
    expect(fake.delivered()).toBe(ids.length);
    console.log(`[delivery] re-run: ${fake.requests.length} requests for ${ids.length} emails, ${fake.stats.duplicates} dropped as repeats of a key, ${fake.delivered()} delivered`);
  }, 60_000);

  test("out of time: claimed emails not started go back untouched", async () => {
    // A fake without a rate limit: a 429 here would be an attempt of its own.
    const unlimited = await startFakeResend({ latencyMs: [15, 20] });
    try {
      const send = resendMailer({ apiKey: "re_test_delivery", baseUrl: unlimited.url, from: "Makeline <alerts@makeline.local>", ratePerSecond: Number.POSITIVE_INFINITY });
      const ids = await queue(conn.db, 20, 1, "budget");
      const pass = await deliverPendingEmails(conn.db, { mailer: send, budgetMs: 150, concurrency: 2 });
      const rows = await states(ids);
      const sent = rows.filter((r) => r.emailStatus === "sent").length;
      expect(pass.sent).toBe(sent);
      expect(sent).toBeLessThan(ids.length);
      expect(rows.filter((r) => r.emailStatus === "pending").every((r) => r.emailAttempts === 0 && r.emailLockedUntil === null)).toBe(true);
      await deliverPendingEmails(conn.db, { mailer: send });
      expect((await states(ids)).every((r) => r.emailStatus === "sent")).toBe(true);
      expect(unlimited.delivered()).toBe(ids.length);
    } finally {
      await unlimited.close();
    }
  }, 60_000);
});
