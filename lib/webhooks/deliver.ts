import "server-only";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { and, eq, inArray, isNotNull, isNull, lte, sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { type Db, rowsOf } from "@/db/client";
import { accounts, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import type { WebhookEndpoint } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { type Mailer, defaultMailer } from "@/lib/email/send";
import { env } from "@/lib/env";
import { type Resolver, checkUrlShape, resolveDestination, systemResolver } from "./destination";

/**
 * Sends the webhook outbox (decision 019), on the email outbox's pattern (decision 006): a pass
 * claims due rows with FOR UPDATE SKIP LOCKED and a lease, and in the same statement counts the
 * attempt and stamps it (STYLE 18: recorded as attempted before it leaves); the answer is recorded
 * right after. A sender that dies mid-send leaves a lease that expires, and the row goes again
 * with the same `webhook-id`, which is all a receiver needs to drop the repeat.
 */

export const TIMEOUT_MS = 10_000;
/** Longer than the timeout, so a live sender's row is never taken from it. */
const LEASE_MS = 60_000;
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 6 * 60 * 60_000;
/** An endpoint failing this long without one success is disabled. */
export const DISABLE_AFTER_MS = 3 * 24 * 60 * 60_000;
const RESPONSE_KEPT = 512;

/**
 * Wait before the next attempt after `attempts` tries: 30 s doubling to at most 6 hours, each
 * wait drawn between half and the whole of that ("equal jitter"), so endpoints that failed
 * together do not retry together. About 20 attempts fit in the three days.
 */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export type WebhookPassOptions = {
  now?: Date;
  budgetMs?: number;
  batchSize?: number;
  concurrency?: number;
  allowPrivate?: boolean;
  resolve?: Resolver;
  timeoutMs?: number;
  random?: () => number;
  mailer?: Mailer;
  /** Only this endpoint's rows (its page's "Send test event" and "Resend"). */
  endpointId?: number;
};
export type WebhookSummary = { delivered: number; retried: number; failed: number; disabled: number };

type Claimed = { id: string; endpointId: number; eventType: string; payload: unknown; attempts: number; giveUpAt: Date };

async function claim(db: Db, now: Date, limit: number, endpointId?: number): Promise<Claimed[]> {
  const at = now.toISOString();
  const lease = new Date(now.getTime() + LEASE_MS).toISOString();
  const rows = rowsOf<{ id: string; endpoint_id: number; event_type: string; payload: unknown; attempts: number; give_up_at: string | Date }>(
    await db.execute(sql`
      update webhook_deliveries d
      set locked_until = ${lease}::timestamptz, attempts = d.attempts + 1, last_attempt_at = ${at}::timestamptz
      from (
        select w.id from webhook_deliveries w
        join webhook_endpoints e on e.id = w.endpoint_id and e.enabled
        where w.status = 'pending' and w.next_attempt_at <= ${at}::timestamptz
          and (w.locked_until is null or w.locked_until <= ${at}::timestamptz)
          ${endpointId ? sql`and w.endpoint_id = ${endpointId}` : sql``}
        order by w.next_attempt_at
        limit ${limit}
        for update of w skip locked
      ) due
      where d.id = due.id
      returning d.id, d.endpoint_id, d.event_type, d.payload, d.attempts, d.give_up_at`),
  );
  return rows.map((r) => ({ id: r.id, endpointId: r.endpoint_id, eventType: r.event_type, payload: r.payload, attempts: r.attempts, giveUpAt: new Date(r.give_up_at) }));
}

/** The `webhook-id` of a delivery: the same on every attempt and every resend. */
export const messageId = (deliveryId: string) => `msg_${deliveryId.replaceAll("-", "")}`;

/** The signature header: the current secret's, and during a rotation's overlap the previous one's as well. */
export function signatures(endpoint: Pick<WebhookEndpoint, "secret" | "previousSecret" | "previousSecretExpiresAt">, msgId: string, at: Date, body: string): string {
  const secrets = [endpoint.secret];
  if (endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > at) secrets.push(endpoint.previousSecret);
  return secrets.map((s) => new Webhook(s).sign(msgId, at, body)).join(" ");
}

export type Attempt = { ok: boolean; status: number | null; body: string | null; error: string | null };

/**
 * One POST, never following a redirect, given up after `timeoutMs`. The connection's address is
 * checked by the client's own lookup, so what was checked is what is connected to.
 */
export async function postWebhook(
  rawUrl: string,
  headers: Record<string, string>,
  body: string,
  { allowPrivate, resolve = systemResolver, timeoutMs = TIMEOUT_MS }: { allowPrivate: boolean; resolve?: Resolver; timeoutMs?: number },
): Promise<Attempt> {
  const shape = checkUrlShape(rawUrl, allowPrivate);
  if (!shape.ok) return { ok: false, status: null, body: null, error: shape.reason };
  const url = shape.url;
  // An IP literal is never looked up by the client: checked here. A name is checked in `lookup`.
  const first = await resolveDestination(url.hostname, allowPrivate, resolve);
  if (!first.ok) return { ok: false, status: null, body: null, error: first.reason };
  const lookupChecked: LookupFunction = (hostname, options, callback) => {
    resolveDestination(hostname, allowPrivate, resolve).then(
      (r) => {
        if (!r.ok) return callback(Object.assign(new Error(r.reason), { code: "EREFUSED" }), "", 4);
        if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, r.addresses);
        callback(null, r.addresses[0].address, r.addresses[0].family);
      },
      (error: Error) => callback(error as NodeJS.ErrnoException, "", 4),
    );
  };
  const client = url.protocol === "https:" ? https : http;
  return new Promise<Attempt>((done) => {
    let settled = false;
    const finish = (a: Attempt) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done(a);
    };
    const req = client.request(
      url,
      { method: "POST", headers: { ...headers, "content-length": String(Buffer.byteLength(body)) }, lookup: lookupChecked, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          if (size < RESPONSE_KEPT) chunks.push(chunk);
          size += chunk.length;
          // The receiver's answer beyond its first bytes is nobody's business here.
          if (size > 64 * 1024) res.destroy();
        });
        const end = () => {
          const status = res.statusCode ?? 0;
          const text = Buffer.concat(chunks).subarray(0, RESPONSE_KEPT).toString("utf8").toWellFormed();
          const ok = status >= 200 && status < 300;
          const redirect = status >= 300 && status < 400 ? `Redirect to ${String(res.headers.location ?? "?").slice(0, 200)} not followed` : null;
          finish({ ok, status, body: text, error: ok ? null : (redirect ?? `HTTP ${status}`) });
        };
        res.on("end", end);
        res.on("close", end);
        res.on("error", end);
      },
    );
    const timer = setTimeout(() => {
      finish({ ok: false, status: null, body: null, error: `No answer within ${Math.round(timeoutMs / 1000)} s` });
      req.destroy();
    }, timeoutMs);
    req.on("error", (error: NodeJS.ErrnoException) => finish({ ok: false, status: null, body: null, error: error.message.slice(0, 300) }));
    req.end(body);
  });
}

const clean = (s: string | null) => (s === null ? null : s.replace(/\u0000/g, ""));

async function record(db: Db, row: Claimed, result: Attempt, now: Date, random: () => number): Promise<"delivered" | "retried" | "failed"> {
  const mine = and(eq(webhookDeliveries.id, row.id), eq(webhookDeliveries.status, "pending"));
  const answer = { responseStatus: result.status, responseBody: clean(result.body), lockedUntil: null };
  if (result.ok) {
    await db.update(webhookDeliveries).set({ ...answer, status: "delivered", deliveredAt: now, lastError: null }).where(mine);
    await db.update(webhookEndpoints).set({ failingSince: null }).where(and(eq(webhookEndpoints.id, row.endpointId), isNotNull(webhookEndpoints.failingSince)));
    return "delivered";
  }
  const next = new Date(now.getTime() + retryDelayMs(row.attempts, random));
  const giveUp = next > row.giveUpAt;
  await db
    .update(webhookDeliveries)
    .set({ ...answer, lastError: clean(result.error), ...(giveUp ? { status: "failed" as const } : { nextAttemptAt: next }) })
    .where(mine);
  await db.execute(sql`update webhook_endpoints set failing_since = coalesce(failing_since, ${now.toISOString()}::timestamptz) where id = ${row.endpointId}`);
  return giveUp ? "failed" : "retried";
}

/** Endpoints failing for three days without a success are disabled, each once, in the audit log. */
async function disableFailing(db: Db, now: Date): Promise<number> {
  const since = new Date(now.getTime() - DISABLE_AFTER_MS);
  const disabled = await db
    .update(webhookEndpoints)
    .set({ enabled: false, disabledAt: now, disabledReason: "Every delivery failed for 3 days" })
    .where(and(eq(webhookEndpoints.enabled, true), lte(webhookEndpoints.failingSince, since)))
    .returning({ id: webhookEndpoints.id, url: webhookEndpoints.url });
  for (const e of disabled) await recordAudit(db, { kind: "webhookEndpointDisabled", after: { endpointId: e.id, url: e.url, reason: "Every delivery failed for 3 days" }, at: now });
  return disabled.length;
}

/**
 * Tells every active administrator that an endpoint was disabled. The email's idempotency key is
 * the endpoint and the moment it was disabled, so a pass that dies before `alerted_at` is written
 * sends nothing twice when the next pass tries again.
 */
export async function alertDisabledEndpoints(db: Db, mailer: Mailer, appUrl: string): Promise<number> {
  const pending = await db.select().from(webhookEndpoints).where(and(isNotNull(webhookEndpoints.disabledAt), isNull(webhookEndpoints.alertedAt)));
  if (!pending.length) return 0;
  const admins = await db
    .select({ id: accounts.id, email: accounts.email, name: accounts.name })
    .from(accounts)
    .where(and(eq(accounts.active, true), sql`'admin' = any(${accounts.roles})`));
  let alerted = 0;
  for (const e of pending) {
    const link = `${appUrl.replace(/\/$/, "")}/admin/webhooks/${e.id}`;
    const subject = `Webhook endpoint disabled: ${e.url}`;
    const text = `Every delivery to ${e.url} failed for three days, so Makeline disabled the endpoint and keeps its events unsent.\n\nSee its deliveries and enable it again: ${link}`;
    const html = `<p>Every delivery to <strong>${escapeHtml(e.url)}</strong> failed for three days, so Makeline disabled the endpoint and keeps its events unsent.</p><p><a href="${escapeHtml(link)}">See its deliveries and enable it again</a></p>`;
    const outcomes = await Promise.all(
      admins.map((a) => mailer.send({ to: a.email, subject, html, text, idempotencyKey: `webhook-disabled-${e.id}-${e.disabledAt!.getTime()}-${a.id}` })),
    );
    if (outcomes.every((o) => o.status !== "retry")) {
      await db.update(webhookEndpoints).set({ alertedAt: new Date() }).where(and(eq(webhookEndpoints.id, e.id), isNull(webhookEndpoints.alertedAt)));
      alerted++;
    }
  }
  return alerted;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Runs `work` over `items` with at most `limit` at once. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/**
 * One pass over the webhook outbox: claim, sign, send and record until nothing is due or the
 * budget is spent; then disable endpoints that failed for three days and alert the administrators.
 * Safe to run concurrently with itself on any number of servers.
 */
export async function deliverWebhooks(db: Db, options: WebhookPassOptions = {}): Promise<WebhookSummary> {
  const allowPrivate = options.allowPrivate ?? env().MAKELINE_WEBHOOKS_ALLOW_PRIVATE === "1";
  const random = options.random ?? Math.random;
  const started = Date.now();
  const budget = options.budgetMs ?? 45_000;
  const summary: WebhookSummary = { delivered: 0, retried: 0, failed: 0, disabled: 0 };
  const endpoints = new Map<number, WebhookEndpoint | undefined>();
  while (Date.now() - started < budget) {
    const now = options.now ?? new Date();
    const rows = await claim(db, now, options.batchSize ?? 100, options.endpointId);
    if (!rows.length) break;
    const missing = [...new Set(rows.map((r) => r.endpointId))].filter((id) => !endpoints.has(id));
    if (missing.length) for (const e of await db.select().from(webhookEndpoints).where(inArray(webhookEndpoints.id, missing))) endpoints.set(e.id, e);
    await pool(rows, options.concurrency ?? 16, async (row) => {
      const endpoint = endpoints.get(row.endpointId)!;
      const at = options.now ?? new Date();
      const body = JSON.stringify(row.payload);
      const msgId = messageId(row.id);
      const headers = {
        "content-type": "application/json",
        "user-agent": "Makeline-Webhooks/1",
        "webhook-id": msgId,
        "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
        "webhook-signature": signatures(endpoint, msgId, at, body),
      };
      const result = await postWebhook(endpoint.url, headers, body, { allowPrivate, resolve: options.resolve, timeoutMs: options.timeoutMs });
      summary[await record(db, row, result, options.now ?? new Date(), random)]++;
    });
  }
  const now = options.now ?? new Date();
  summary.disabled = await disableFailing(db, now);
  await alertDisabledEndpoints(db, options.mailer ?? defaultMailer(db), env().APP_URL);
  return summary;
}
