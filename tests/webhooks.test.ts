import { eq, sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import type { Connection } from "@/db/client";
import { auditLog, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import type { OutgoingEmail } from "@/lib/email/send";
import { cancelOrder, completeStage, createOrder, saveFields } from "@/lib/orders/commands";
import { addComment } from "@/lib/orders/conversation";
import { proposeAlternative } from "@/lib/orders/proposals";
import { DISABLE_AFTER_MS, deliverWebhooks, messageId, retryDelayMs } from "@/lib/webhooks/deliver";
import { isInternalAddress, resolveDestination } from "@/lib/webhooks/destination";
import { createWebhookEndpoint, resendDelivery, rotateWebhookSecret, sendTestEvent, updateWebhookEndpoint } from "@/lib/webhooks/commands";
import { webhookEventKeys } from "@/lib/webhooks/event-types";
import { formatOrderNumber } from "@/lib/workflow";
import { testDatabase } from "./database";
import { type Actors, inDays, orderIn, seedActors } from "./fixtures";
import { type Receiver, startReceiver } from "./webhook-receiver";

/**
 * Webhooks (issue 20) against a real HTTP receiver on 127.0.0.1: events written with the change
 * that caused them, signed per Standard Webhooks and verified with the `standardwebhooks` package,
 * retried after failures and timeouts, never sent twice by concurrent passes, never sent to an
 * internal address unless allowed.
 */

// Read once by lib/env.ts, before anything here asks it: the receiver is on 127.0.0.1 over http.
process.env.MAKELINE_WEBHOOKS_ALLOW_PRIVATE = "1";

let conn: Connection;
let actors: Actors;
let north: number;
let south: number;
let receiver: Receiver;
const mailed: OutgoingEmail[] = [];
const mailer = { name: "devMailbox" as const, send: async (e: OutgoingEmail) => (mailed.push(e), { status: "sent" as const, providerId: null }) };
const admin = () => ({ db: conn.db, actor: actors["admin@example.com"] });
const pass = (options: Parameters<typeof deliverWebhooks>[1] = {}) => deliverWebhooks(conn.db, { allowPrivate: true, mailer, timeoutMs: 2_000, ...options });

beforeAll(async () => {
  conn = await testDatabase();
  const seeded = await seedActors(conn.db);
  actors = seeded.actors;
  ({ north, south } = seeded.storeIds);
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  await conn.close();
});
afterEach(async () => {
  // Each test starts with no endpoint and no queued delivery.
  await conn.db.delete(webhookEndpoints).where(sql`true`);
  receiver.received.length = 0;
});

async function endpoint(path: string, events: string[] = [...webhookEventKeys], storeId?: number) {
  const made = await createWebhookEndpoint(admin(), { url: receiver.url(path), events, ...(storeId ? { storeId: String(storeId) } : {}) });
  if (!made.ok) throw new Error(JSON.stringify(made));
  return made;
}

const newOrder = (storeId: number, specs = "Oak shelf, 2 m") => ({ storeId, productSpecifications: specs, orderQuantity: 2, requiredDeliveryDate: inDays(20) });
const deliveriesOf = (endpointId: number) => conn.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId)).orderBy(webhookDeliveries.createdAt);

describe("the outbox is written with the change", () => {
  test("an order change queues its events in its own transaction: a refused one queues nothing; store and event filters hold", async () => {
    const all = await endpoint("/ok/all");
    const southOnly = await endpoint("/ok/south", [...webhookEventKeys], south);
    const createdOnly = await endpoint("/ok/created", ["order.created"]);
    const made = await createOrder({ db: conn.db, actor: actors["store.north@example.com"] }, newOrder(north));
    if (!made.ok) throw new Error("not created");
    const refused = await completeStage({ db: conn.db, actor: actors["store.north@example.com"] }, { orderId: made.order.id, version: 99, confirmOpenTodos: true });
    expect(refused.ok).toBe(false);
    const notAllowed = await completeStage({ db: conn.db, actor: actors["production@example.com"] }, { orderId: made.order.id, version: 1, confirmOpenTodos: true });
    expect(notAllowed.ok).toBe(false);
    const [d] = await deliveriesOf(all.endpoint.id);
    expect((await deliveriesOf(all.endpoint.id)).map((x) => x.eventType)).toEqual(["order.created"]);
    expect(d.payload).toMatchObject({ type: "order.created", data: { order: { number: formatOrderNumber(made.order.id), version: 1, stage: "storeOrder", state: "active", fields: { orderQuantity: 2 } } } });
    expect(await deliveriesOf(southOnly.endpoint.id)).toEqual([]);
    expect((await deliveriesOf(createdOnly.endpoint.id)).map((x) => x.eventType)).toEqual(["order.created"]);

    const done = await completeStage({ db: conn.db, actor: actors["store.north@example.com"] }, { orderId: made.order.id, version: 1, confirmOpenTodos: true });
    expect(done.ok).toBe(true);
    expect((await deliveriesOf(all.endpoint.id)).map((x) => x.eventType)).toEqual(["order.created", "order.stage_completed", "order.submitted"]);
    const submitted = (await deliveriesOf(all.endpoint.id))[2].payload as { data: { order: { version: number; stage: string } } };
    expect(submitted.data.order).toMatchObject({ version: 2, stage: "dispatchReceiving" });
    expect((await deliveriesOf(createdOnly.endpoint.id)).map((x) => x.eventType)).toEqual(["order.created"]);
  });

  test("every kind of event is raised by the command that makes it", async () => {
    const all = await endpoint("/ok/kinds");
    const completed = await orderIn(conn.db, { storeCode: "north", to: "completed" });
    const held = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving" });
    const dispatch = { db: conn.db, actor: actors["dispatch@example.com"] };
    const hold = await saveFields(dispatch, { orderId: held.id, version: held.version, values: { orderFeasibility: { decision: "notFeasible", reason: "No oak until spring" } } });
    if (!hold.ok) throw new Error(JSON.stringify(hold));
    const onHold = await completeStage(dispatch, { orderId: held.id, version: hold.order.version, confirmOpenTodos: true });
    if (!onHold.ok) throw new Error(JSON.stringify(onHold));
    const proposed = await proposeAlternative(dispatch, { orderId: held.id, version: onHold.order.version, requiredDeliveryDate: inDays(90) });
    if (!proposed.ok) throw new Error(JSON.stringify(proposed));
    const cancelled = await cancelOrder({ db: conn.db, actor: actors["store.north@example.com"] }, { orderId: held.id, version: proposed.order.version, reason: "Customer withdrew" });
    expect(cancelled.ok).toBe(true);
    expect((await addComment({ db: conn.db, actor: actors["qc@example.com"] }, { orderId: completed.id, body: "Looked great" })).ok).toBe(true);
    const types = new Set((await deliveriesOf(all.endpoint.id)).map((d) => d.eventType));
    expect([...types].sort()).toEqual([...webhookEventKeys].sort());
    // Each event carries the order's version as that change left it: the last one, the order's own.
    const done = (await deliveriesOf(all.endpoint.id)).find((d) => d.orderId === completed.id && d.eventType === "order.completed")!;
    expect((done.payload as { data: { order: { version: number; state: string } } }).data.order).toMatchObject({ version: completed.version, state: "completed" });
  });
});

describe("delivery", () => {
  test("signed per Standard Webhooks: the receiver verifies webhook-id, -timestamp and -signature with the standardwebhooks package", async () => {
    const { endpoint: e, secret } = await endpoint("/ok/signed", ["order.created"]);
    const made = await createOrder({ db: conn.db, actor: actors["store.north@example.com"] }, newOrder(north, "Signed table"));
    if (!made.ok) throw new Error("not created");
    const summary = await pass();
    expect(summary).toMatchObject({ delivered: 1, retried: 0, failed: 0 });
    const [got] = receiver.received;
    expect(got.headers["content-type"]).toBe("application/json");
    const verified = new Webhook(secret).verify(got.body, got.headers as Record<string, string>) as { type: string; data: { order: { number: string; version: number } } };
    expect(verified.type).toBe("order.created");
    expect(verified.data.order).toMatchObject({ number: formatOrderNumber(made.order.id), version: 1 });
    const [row] = await deliveriesOf(e.id);
    expect(got.headers["webhook-id"]).toBe(messageId(row.id));
    expect(row).toMatchObject({ status: "delivered", attempts: 1, responseStatus: 200, responseBody: "thanks" });
    // A tampered body, or another endpoint's secret, does not verify.
    expect(() => new Webhook(secret).verify(got.body.replace("Signed", "Forged"), got.headers as Record<string, string>)).toThrow();
    const other = await endpoint("/ok/other", ["order.created"]);
    expect(() => new Webhook(other.secret).verify(got.body, got.headers as Record<string, string>)).toThrow();
  });

  test("sent after the commit through ctx.afterCommit, without waiting for a pass", async () => {
    await endpoint("/ok/after-commit", ["order.created"]);
    const tasks: Promise<void>[] = [];
    const made = await createOrder({ db: conn.db, actor: actors["store.north@example.com"], afterCommit: (task) => void tasks.push(task(conn.db)) }, newOrder(north));
    expect(made.ok).toBe(true);
    expect(tasks).toHaveLength(1);
    await Promise.all(tasks);
    expect(receiver.received.map((r) => r.path)).toEqual(["/ok/after-commit"]);
  });

  test("the automation pass (the cron route's runAutomations) sends what no after-commit hook did", async () => {
    const { runAutomations } = await import("@/lib/automation/runner");
    await endpoint("/ok/pass", ["order.created"]);
    expect((await createOrder({ db: conn.db, actor: actors["store.north@example.com"] }, newOrder(north))).ok).toBe(true);
    expect(receiver.received).toEqual([]);
    const summary = await runAutomations({ db: conn.db, mailer });
    expect(summary.webhooks).toMatchObject({ delivered: 1 });
    expect(receiver.received.map((r) => r.path)).toEqual(["/ok/pass"]);
  });

  test("a 500 is retried later with backoff and jitter, under the same webhook-id, until it is answered", async () => {
    const { endpoint: e } = await endpoint("/fail/once", ["order.created"]);
    await createOrder({ db: conn.db, actor: actors["store.north@example.com"] }, newOrder(north));
    const t0 = new Date();
    expect(await pass({ now: t0 })).toMatchObject({ retried: 1, delivered: 0 });
    let [row] = await deliveriesOf(e.id);
    expect(row).toMatchObject({ status: "pending", attempts: 1, responseStatus: 500, lastError: "HTTP 500" });
    expect(row.responseBody!.length).toBeLessThanOrEqual(512);
    const wait = row.nextAttemptAt.getTime() - t0.getTime();
    expect(wait).toBeGreaterThanOrEqual(15_000);
    expect(wait).toBeLessThanOrEqual(30_000);
    // Not due yet: nothing is sent.
    expect(await pass({ now: new Date(t0.getTime() + 10_000) })).toMatchObject({ retried: 0, delivered: 0 });
    receiver.answer("/fail/once", 200);
    expect(await pass({ now: row.nextAttemptAt })).toMatchObject({ delivered: 1 });
    [row] = await deliveriesOf(e.id);
    expect(row).toMatchObject({ status: "delivered", attempts: 2, responseStatus: 200, lastError: null });
    expect(receiver.received.map((r) => r.headers["webhook-id"])).toEqual([messageId(row.id), messageId(row.id)]);
    // The delays grow, each drawn between half and the whole of its ceiling.
    expect([1, 2, 3, 10, 30].map((n) => retryDelayMs(n, () => 1))).toEqual([30_000, 60_000, 120_000, 15_360_000, 6 * 3_600_000]);
    expect(retryDelayMs(3, () => 0)).toBe(60_000);
  });

  test("no answer within the timeout is a failed attempt, retried", async () => {
    const { endpoint: e } = await endpoint("/slow/hook", ["order.created"]);
    await createOrder({ db: conn.db, actor: actors["store.north@example.com"] }, newOrder(north));
    const started = Date.now();
    expect(await pass({ timeoutMs: 300 })).toMatchObject({ retried: 1 });
    expect(Date.now() - started).toBeLessThan(5_000);
    const [row] = await deliveriesOf(e.id);
    expect(row).toMatchObject({ status: "pending", attempts: 1, responseStatus: null, lastError: "No answer within 0 s" });
  });

  test("a redirect is not followed: it is a failed attempt", async () => {
    const { endpoint: e } = await endpoint("/redirect/hook", ["order.created"]);
    await createOrder({ db: conn.db, actor: actors["store.north@example.com"] }, newOrder(north));
    await pass();
    expect(receiver.received).toHaveLength(1);
    const [row] = await deliveriesOf(e.id);
    expect(row).toMatchObject({ status: "pending", responseStatus: 302 });
    expect(row.lastError).toMatch(/^Redirect to http:\/\/127\.0\.0\.1:9\/elsewhere not followed/);
  });

  test("10 concurrent passes send each event exactly once", async () => {
    await endpoint("/ok/concurrent", ["order.created", "comment.created"]);
    for (let i = 0; i < 12; i++) expect((await createOrder({ db: conn.db, actor: actors["store.south@example.com"] }, newOrder(south, `Batch order ${i}: pine stool`))).ok).toBe(true);
    const summaries = await Promise.all(Array.from({ length: 10 }, () => pass({ batchSize: 2 })));
    expect(summaries.reduce((n, s) => n + s.delivered, 0)).toBe(12);
    const ids = receiver.received.map((r) => r.headers["webhook-id"]);
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
  });

  test("retries stop after three days: the delivery fails; an endpoint failing for three days is disabled and the administrators are told once", async () => {
    const { endpoint: e } = await endpoint("/fail/always", ["order.created"]);
    const t0 = new Date();
    await createOrder({ db: conn.db, actor: actors["store.north@example.com"], now: t0 }, newOrder(north));
    await pass({ now: t0 });
    let [ep] = await conn.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, e.id));
    expect(ep.failingSince).toEqual(t0);
    mailed.length = 0;
    const later = new Date(t0.getTime() + DISABLE_AFTER_MS + 60_000);
    const summary = await pass({ now: later });
    expect(summary).toMatchObject({ failed: 1, disabled: 1 });
    const [row] = await deliveriesOf(e.id);
    expect(row.status).toBe("failed");
    [ep] = await conn.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, e.id));
    expect(ep).toMatchObject({ enabled: false, disabledReason: "Every delivery failed for 3 days" });
    expect(ep.alertedAt).not.toBeNull();
    expect(mailed.map((m) => m.to)).toEqual(["admin@example.com"]);
    expect(mailed[0].subject).toBe(`Webhook endpoint disabled: ${e.url}`);
    const [audit] = await conn.db.select().from(auditLog).where(eq(auditLog.kind, "webhookEndpointDisabled"));
    expect(audit.after).toMatchObject({ endpointId: e.id });
    // Disabled: new events are not queued for it, and a pass sends it nothing.
    await createOrder({ db: conn.db, actor: actors["store.north@example.com"] }, newOrder(north));
    expect(await deliveriesOf(e.id)).toHaveLength(1);
    await pass({ now: later });
    expect(mailed).toHaveLength(1);
    // "Resend" queues the same delivery again; enabling the endpoint lets it go.
    receiver.answer("/fail/always", 204);
    expect((await resendDelivery(admin(), { endpointId: e.id, deliveryId: row.id })).ok).toBe(true);
    expect((await updateWebhookEndpoint(admin(), { endpointId: e.id, url: e.url, events: ["order.created"], enabled: "on" })).ok).toBe(true);
    await pass();
    const [again] = await deliveriesOf(e.id);
    expect(again).toMatchObject({ status: "delivered", responseStatus: 204 });
    expect(receiver.received.at(-1)!.headers["webhook-id"]).toBe(messageId(row.id));
  });

  test("a rotated secret: both signatures during the overlap (either verifies), the new one alone after it", async () => {
    const { endpoint: e, secret: old } = await endpoint("/ok/rotate", ["order.created"]);
    const rotated = await rotateWebhookSecret(admin(), { endpointId: e.id });
    if (!rotated.ok) throw new Error("not rotated");
    expect(rotated.secret).not.toBe(old);
    await createOrder({ db: conn.db, actor: actors["store.north@example.com"] }, newOrder(north));
    await pass();
    const first = receiver.received[0];
    expect(String(first.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect(new Webhook(old).verify(first.body, first.headers as Record<string, string>)).toBeTruthy();
    expect(new Webhook(rotated.secret).verify(first.body, first.headers as Record<string, string>)).toBeTruthy();
    await createOrder({ db: conn.db, actor: actors["store.north@example.com"] }, newOrder(north));
    await pass({ now: new Date(Date.now() + 25 * 3_600_000) });
    const second = receiver.received[1];
    expect(String(second.headers["webhook-signature"]).split(" ")).toHaveLength(1);
    expect(() => new Webhook(old).verify(second.body, { ...(second.headers as Record<string, string>), "webhook-timestamp": String(second.headers["webhook-timestamp"]) })).toThrow();
  });

  test("'Send test event' reaches the endpoint whatever it subscribes to", async () => {
    const tasks: Promise<void>[] = [];
    const { endpoint: e, secret } = await endpoint("/ok/test", ["order.shipped"]);
    expect((await sendTestEvent({ ...admin(), afterCommit: (t) => void tasks.push(t(conn.db)) }, { endpointId: e.id })).ok).toBe(true);
    await Promise.all(tasks);
    const [got] = receiver.received;
    expect(new Webhook(secret).verify(got.body, got.headers as Record<string, string>)).toMatchObject({ type: "webhook.test", data: { endpointId: e.id } });
  });
});

test("an endpoint's delivery log pages newest first by keyset, every delivery once, with its status filter", async () => {
  const { listDeliveries } = await import("@/db/queries/api-admin");
  const { endpoint: e } = await endpoint("/ok/log", ["order.created"]);
  await conn.db.execute(sql`insert into webhook_deliveries (endpoint_id, event_type, payload, created_at, status, give_up_at)
    select ${e.id}, 'order.created', '{}'::jsonb, now() - ((i / 3) * 1001 || ' microseconds')::interval, case when i % 10 = 0 then 'failed' else 'delivered' end, now() from generate_series(1, 120) i`);
  const seen: string[] = [];
  let before: string | undefined;
  for (let page = 0; page < 5; page++) {
    const log = await listDeliveries(conn.db, e.id, { before });
    seen.push(...log.rows.map((r) => r.id));
    for (let i = 1; i < log.rows.length; i++) expect(log.rows[i - 1].createdAt >= log.rows[i].createdAt).toBe(true);
    if (!log.next) break;
    before = log.next;
  }
  expect(seen).toHaveLength(120);
  expect(new Set(seen).size).toBe(120);
  expect((await listDeliveries(conn.db, e.id, { status: "failed" })).rows).toHaveLength(12);
});

describe("never to an internal address", () => {
  test("10.x, 127.x, 169.254.x, [::1] and their IPv4-mapped forms are internal; public addresses are not", () => {
    for (const a of ["10.0.0.5", "127.0.0.1", "127.8.9.10", "169.254.169.254", "::1", "[::1]", "::ffff:10.0.0.5", "::ffff:7f00:1", "172.16.3.4", "192.168.1.1", "100.64.0.1", "0.0.0.0", "fe80::1", "fd00::1", "localhost"]) {
      expect(isInternalAddress(a), a).toBe(true);
    }
    for (const a of ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "172.32.0.1"]) expect(isInternalAddress(a), a).toBe(false);
  });

  test("a name is checked on every address it resolves to: one internal address refuses it", async () => {
    const dns = (map: Record<string, string[]>) => async (host: string) => (map[host] ?? []).map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
    const resolver = dns({ "intranet.test": ["10.0.0.5"], "metadata.test": ["169.254.169.254"], "mixed.test": ["93.184.216.34", "10.1.2.3"], "v6.test": ["::1"], "public.test": ["93.184.216.34"] });
    for (const host of ["intranet.test", "metadata.test", "mixed.test", "v6.test", "10.0.0.5", "127.0.0.1", "169.254.169.254", "[::1]"]) {
      const r = await resolveDestination(host, false, resolver);
      expect(r.ok, host).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(/^Refused: .* resolves to .*private, loopback or link-local/);
    }
    expect((await resolveDestination("public.test", false, resolver)).ok).toBe(true);
    expect((await resolveDestination("intranet.test", true, resolver)).ok).toBe(true);
    // A real name of this machine that resolves to loopback.
    const local = await resolveDestination("localhost", false);
    expect(local.ok).toBe(false);
  });

  test("without MAKELINE_WEBHOOKS_ALLOW_PRIVATE the pass refuses loopback endpoints, literal or by name, before connecting", async () => {
    const { systemResolver } = await import("@/lib/webhooks/destination");
    // Two names only this test's resolver knows, and the machine's own `localhost`.
    const names = async (host: string) => (host === "hooks.loopback.test" ? [{ address: "127.0.0.1", family: 4 }] : host === "v6.loopback.test" ? [{ address: "::1", family: 6 }] : systemResolver(host));
    const made: number[] = [];
    for (const url of [receiver.url("/ok/literal"), `http://localhost:${receiver.port}/ok/localhost`, `http://hooks.loopback.test:${receiver.port}/ok/name`, `http://v6.loopback.test:${receiver.port}/ok/v6`, `http://[::1]:${receiver.port}/ok/v6literal`]) {
      const e = await createWebhookEndpoint(admin(), { url, events: ["order.created"] });
      if (!e.ok) throw new Error(JSON.stringify(e));
      made.push(e.endpoint.id);
    }
    await createOrder({ db: conn.db, actor: actors["store.north@example.com"] }, newOrder(north));
    // http is allowed here only so that the refusal is the address's, not the scheme's.
    const { postWebhook } = await import("@/lib/webhooks/deliver");
    for (const id of made) {
      const [e] = await conn.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
      const r = await postWebhook(e.url.replace(/^http:/, "https:"), {}, "{}", { allowPrivate: false, resolve: names });
      expect(r.ok, e.url).toBe(false);
      expect(r.error, e.url).toMatch(/^Refused: /);
    }
    const summary = await deliverWebhooks(conn.db, { allowPrivate: false, resolve: names, mailer });
    expect(summary.retried).toBe(made.length);
    expect(receiver.received).toEqual([]);
    for (const id of made) expect((await deliveriesOf(id))[0].lastError).toMatch(/^(Refused: |Use an https:\/\/ URL)/);
  });

  test("an administrator cannot register an internal address or a non-https URL when private addresses are not allowed", async () => {
    const { createWebhookSchema } = await import("@/lib/webhooks/schemas");
    const schema = createWebhookSchema(false);
    for (const url of ["https://10.0.0.5/hook", "https://127.0.0.1/hook", "https://169.254.169.254/latest", "https://[::1]/hook", "https://localhost/hook", "http://hooks.example.com/x", "ftp://x.example.com/"]) {
      expect(schema.safeParse({ url, events: ["order.created"] }).success, url).toBe(false);
    }
    expect(schema.safeParse({ url: "https://hooks.example.com/makeline", events: ["order.created"] }).success).toBe(true);
  });
});
