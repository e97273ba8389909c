import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from "vitest";
import { eq } from "drizzle-orm";
import type { Connection } from "@/db/client";
import { automationRules, notifications, orders } from "@/db/schema";
import { demoActor, seedBase } from "@/lib/demo/seed";
import { onlyCardRules } from "./fixtures";
import { driveOrder } from "@/lib/demo/orders";
import { MAX_EMAIL_ATTEMPTS, deliverPendingEmails, retryDelayMs } from "@/lib/email/outbox";
import { runAutomations } from "@/lib/automation/runner";
import { classifyResendError, resendMailer } from "@/lib/email/send";
import { saveFields } from "@/lib/orders/commands";
import { formatOrderNumber } from "@/lib/workflow";
import { testDatabase } from "./database";
import { startFakeResend } from "./fake-resend";

/** Email through Resend (a fake on 127.0.0.1, reached through RESEND_BASE_URL): retries and failures. */

let conn: Connection;
let fake: Awaited<ReturnType<typeof startFakeResend>>;
const MINUTE = 60_000;

beforeAll(async () => {
  fake = await startFakeResend();
  vi.stubEnv("RESEND_API_KEY", "re_test_email");
  vi.stubEnv("RESEND_BASE_URL", fake.url);
  vi.stubEnv("RESEND_RATE_PER_SECOND", "20");
  conn = await testDatabase();
  await seedBase(conn.db);
  await onlyCardRules(conn.db);
  // Passes here jump hours ahead; keep the overdue escalation from adding emails of its own.
  await conn.db.update(automationRules).set({ enabled: false }).where(eq(automationRules.key, "stage-overdue-escalation"));
});
afterAll(async () => {
  await conn?.close();
  await fake?.close();
  vi.unstubAllEnvs();
});
// Each test starts with an empty outbox: whatever an earlier test left pending is sent first.
beforeEach(async () => {
  fake.reset();
  await runAutomations({ db: conn.db, now: new Date(Date.now() + 7 * 24 * 60 * MINUTE) });
  fake.reset();
});

/** A not-feasible order: one notification, to North's store manager. */
async function alert() {
  const dispatch = await demoActor(conn.db, "dispatch@example.com");
  const order = await driveOrder(conn.db, { storeCode: "north", to: "dispatchReceiving" });
  const r = await saveFields({ db: conn.db, actor: dispatch }, { orderId: order.id, version: order.version, values: { orderFeasibility: { decision: "notFeasible", reason: "No capacity" } } });
  expect(r.ok).toBe(true);
  const rows = await conn.db.select().from(notifications).where(eq(notifications.orderId, order.id));
  expect(rows).toHaveLength(1);
  return { order, id: rows[0].id };
}
const load = async (id: string) => (await conn.db.select().from(notifications).where(eq(notifications.id, id)))[0];

describe("email delivery through Resend", () => {
  test("500, then 429, then 200: the 500 waits for the next pass; there the 429 is waited out and the same email sent, once, always with the same key", async () => {
    const { order, id } = await alert();
    fake.respondWith(500, 429);
    const t0 = new Date(Date.now() + MINUTE);
    const log: string[] = [];

    const pass1 = await runAutomations({ db: conn.db, now: t0 });
    let n = await load(id);
    log.push(`pass 1: HTTP 500 -> ${n.emailStatus}, attempts ${n.emailAttempts}, next in ${(n.emailNextAttemptAt.getTime() - t0.getTime()) / MINUTE} min`);
    expect(pass1).toMatchObject({ sent: 0, retried: 1, failed: 0 });
    expect(n).toMatchObject({ emailStatus: "pending", emailAttempts: 1 });
    expect(n.emailLastError).toContain("500");
    expect(n.emailNextAttemptAt.getTime()).toBe(t0.getTime() + retryDelayMs(1));

    // Before the backoff has passed, a pass leaves it alone.
    const early = await runAutomations({ db: conn.db, now: new Date(t0.getTime() + 30_000) });
    expect(early.sent + early.retried + early.failed).toBe(0);
    expect(fake.requests).toHaveLength(1);

    const t2 = new Date(t0.getTime() + retryDelayMs(1));
    const started = Date.now();
    const pass2 = await runAutomations({ db: conn.db, now: t2 });
    const waited = Date.now() - started;
    n = await load(id);
    log.push(`pass 2: HTTP 429 (Retry-After: 1) -> waited ${waited} ms, HTTP 200 -> ${n.emailStatus}, attempts ${n.emailAttempts}`);
    expect(pass2).toMatchObject({ sent: 1, retried: 0, rateLimited: 1, rateLimitWaits: 1 });
    expect(waited).toBeGreaterThanOrEqual(1000);
    expect(n).toMatchObject({ emailStatus: "sent", emailAttempts: 2, emailLastError: null });
    expect(n.emailProviderId).toBeTruthy();

    // Later passes send nothing more.
    await runAutomations({ db: conn.db, now: new Date(t2.getTime() + 24 * 60 * MINUTE) });
    expect(fake.requests).toHaveLength(3);
    expect(fake.requests.every((r) => r.idempotencyKey === id)).toBe(true);
    expect(fake.requests[2].body.subject).toBe(`[High priority] ${formatOrderNumber(order.id)}: Order cannot be fulfilled - please contact dispatch team — No capacity`);
    expect(fake.requests[2].body.html).toContain(`/orders/${order.id}`);
    log.push(`requests at the fake: ${fake.requests.length}, delivered: 1`);
    console.log(`[email retry] ${log.join("; ")}`);
  });

  test("422: recorded as failed with the error, never retried", async () => {
    const { id } = await alert();
    fake.respondWith(422);
    const t0 = new Date(Date.now() + MINUTE);
    const pass = await runAutomations({ db: conn.db, now: t0 });
    expect(pass).toMatchObject({ sent: 0, retried: 0, failed: 1 });
    const n = await load(id);
    expect(n).toMatchObject({ emailStatus: "failed", emailAttempts: 1 });
    expect(n.emailLastError).toContain("422 validation_error");
    for (const hours of [1, 5, 30]) await runAutomations({ db: conn.db, now: new Date(t0.getTime() + hours * 60 * MINUTE) });
    expect(fake.requests).toHaveLength(1);
    expect((await load(id)).emailStatus).toBe("failed");
    console.log(`[email failure] HTTP 422 -> failed after ${n.emailAttempts} attempt ("${n.emailLastError}"); requests at the fake after 3 more passes: ${fake.requests.length}`);
  });

  test("a sender that died mid-send holds a lease; after it expires the retry reuses the key", async () => {
    const { id } = await alert();
    const t0 = new Date(Date.now() + MINUTE);
    // As if another sender claimed it and vanished before recording the result.
    await conn.db.update(notifications).set({ emailLockedUntil: new Date(t0.getTime() + 5 * MINUTE) }).where(eq(notifications.id, id));
    await runAutomations({ db: conn.db, now: t0 });
    expect(fake.requests).toHaveLength(0);
    const pass = await runAutomations({ db: conn.db, now: new Date(t0.getTime() + 5 * MINUTE) });
    expect(fake.requests.map((r) => r.idempotencyKey), JSON.stringify({ pass, row: await load(id) })).toEqual([id]);
    expect((await load(id)).emailStatus).toBe("sent");
  });

  test("a 429 stops every sender for as long as Retry-After asks, then the same email goes out with the same key", async () => {
    const a = await alert();
    const b = await alert();
    fake.respondWith(429);
    const started = Date.now();
    const pass = await runAutomations({ db: conn.db, now: new Date(Date.now() + MINUTE) });
    expect(pass, JSON.stringify({ a: await load(a.id), b: await load(b.id), requests: fake.requests.length })).toMatchObject({ sent: 2, retried: 0, rateLimited: 1, rateLimitWaits: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect([(await load(a.id)).emailStatus, (await load(b.id)).emailStatus]).toEqual(["sent", "sent"]);
    const keys = fake.requests.map((r) => r.idempotencyKey);
    expect(keys).toHaveLength(3);
    expect(new Set(keys)).toEqual(new Set([a.id, b.id]));
    expect(fake.delivered()).toBe(2);
  });

  test("a 429 whose Retry-After outlasts the pass: the email waits for a later pass at least that long", async () => {
    const slow = await startFakeResend({ retryAfterSeconds: 120 });
    try {
      const { id } = await alert();
      slow.respondWith(429);
      const mailer = resendMailer({ apiKey: "re_test_email", baseUrl: slow.url, from: "Makeline <alerts@makeline.local>", ratePerSecond: 20 });
      const t0 = new Date(Date.now() + MINUTE);
      const started = Date.now();
      const pass = await deliverPendingEmails(conn.db, { now: t0, mailer, budgetMs: 5_000 });
      // The gate opens no later than the pass's end (capped at 10 s, and here at the 5 s budget).
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(pass).toMatchObject({ sent: 0, retried: 1, rateLimited: 1, rateLimitWaits: 0 });
      const n = await load(id);
      expect(n).toMatchObject({ emailStatus: "pending", emailAttempts: 1 });
      expect(n.emailNextAttemptAt.getTime()).toBe(t0.getTime() + 120_000);
      // Not before Retry-After; then once, with the same key.
      expect(await deliverPendingEmails(conn.db, { now: new Date(t0.getTime() + 119_000), mailer })).toMatchObject({ sent: 0 });
      expect(await deliverPendingEmails(conn.db, { now: new Date(t0.getTime() + 120_000), mailer })).toMatchObject({ sent: 1 });
      expect(slow.requests.map((r) => r.idempotencyKey)).toEqual([id, id]);
    } finally {
      await slow.close();
    }
  });

  test("a pass out of time hands its claimed emails back", async () => {
    const { id } = await alert();
    const pass = await runAutomations({ db: conn.db, now: new Date(Date.now() + MINUTE), budgetMs: 0 });
    expect(pass).toMatchObject({ sent: 0, retried: 0, failed: 0 });
    expect(await load(id)).toMatchObject({ emailStatus: "pending", emailLockedUntil: null, emailAttempts: 0 });
    expect(fake.requests).toHaveLength(0);
    await runAutomations({ db: conn.db, now: new Date(Date.now() + MINUTE) });
    expect((await load(id)).emailStatus).toBe("sent");
  });

  test("a 503 whose JSON body has no statusCode is tried again, not failed for good", async () => {
    const { id } = await alert();
    // A proxy in front of the provider answers in its own words: JSON, but not Resend's shape.
    fake.respondWith({ status: 503, body: { message: "Service Unavailable" } });
    const t0 = new Date(Date.now() + MINUTE);
    expect(await runAutomations({ db: conn.db, now: t0 })).toMatchObject({ sent: 0, retried: 1, failed: 0 });
    expect(await load(id)).toMatchObject({ emailStatus: "pending", emailAttempts: 1 });
    expect(await runAutomations({ db: conn.db, now: new Date(t0.getTime() + retryDelayMs(1)) })).toMatchObject({ sent: 1 });
    expect(await load(id)).toMatchObject({ emailStatus: "sent", emailAttempts: 2 });
    expect(fake.requests.map((r) => r.idempotencyKey)).toEqual([id, id]);
  });

  test("a re-send whose content changed since the first (delivered) send is recorded as sent, not failed", async () => {
    const { order, id } = await alert();
    const t0 = new Date(Date.now() + MINUTE);
    await runAutomations({ db: conn.db, now: t0 });
    expect(fake.delivered()).toBe(1);
    // The answer was lost (the sender died before recording it), and the order changed since:
    // the email rendered again differs, and the provider refuses the key's new payload (409).
    await conn.db.update(notifications).set({ emailStatus: "pending", emailSentAt: null, emailProviderId: null, emailLockedUntil: null }).where(eq(notifications.id, id));
    await conn.db.update(orders).set({ productSummary: "Changed since the first email" }).where(eq(orders.id, order.id));
    const pass = await runAutomations({ db: conn.db, now: new Date(t0.getTime() + MINUTE) });
    expect(fake.stats.changedPayloads).toBe(1);
    expect(pass).toMatchObject({ sent: 1, failed: 0 });
    const n = await load(id);
    expect(n.emailStatus).toBe("sent");
    expect(fake.delivered()).toBe(1);
  });

  test("retryable errors give up after the last attempt", async () => {
    const { id } = await alert();
    fake.respondWith(...Array.from({ length: MAX_EMAIL_ATTEMPTS }, () => 503));
    let at = Date.now() + MINUTE;
    for (let i = 1; i <= MAX_EMAIL_ATTEMPTS; i++) {
      await runAutomations({ db: conn.db, now: new Date(at) });
      at += retryDelayMs(i);
    }
    const n = await load(id);
    expect(n).toMatchObject({ emailStatus: "failed", emailAttempts: MAX_EMAIL_ATTEMPTS });
    expect(n.emailLastError).toMatch(/^Gave up after 8 attempts: 503/);
    await runAutomations({ db: conn.db, now: new Date(at + 60 * MINUTE) });
    expect(fake.requests).toHaveLength(MAX_EMAIL_ATTEMPTS);
  });
});

describe("Resend error classification", () => {
  const err = (statusCode: number | null, name = "application_error") => ({ statusCode, name, message: "m" });
  test("429, 5xx, no answer and a concurrent duplicate are retried; other 4xx are not", () => {
    for (const s of [429, 500, 502, 503, null]) expect(classifyResendError(err(s), null).status).toBe("retry");
    expect(classifyResendError(err(409, "concurrent_idempotent_requests"), null).status).toBe("retry");
    for (const s of [400, 401, 403, 404, 409, 422]) expect(classifyResendError(err(s), null).status).toBe("failed");
  });
  test("Retry-After is honoured", () => {
    expect(classifyResendError(err(429), { "retry-after": "30" })).toMatchObject({ status: "retry", retryAfterMs: 30_000, rateLimited: true });
  });
});
