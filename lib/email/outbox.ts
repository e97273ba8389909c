import { and, eq, inArray, isNotNull, isNull, lte, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import "server-only";
import { type Db, rowsOf } from "@/db/client";
import { type Order, accounts, emailDigests, notifications, orders, storeMembers, stores } from "@/db/schema";
import { orderQuantitySql } from "@/db/queries/order-sql";
import { env } from "@/lib/env";
import { reportUnexpected } from "@/lib/errors";
import { logger } from "@/lib/log";
import { type RoleKey, decide } from "@/lib/workflow";
import { SendPacer } from "./pacing";
import { type Mailer, type OutgoingEmail, type SendOutcome, defaultMailer } from "./send";
import { renderDigestEmail } from "./templates/digest-email";
import { type NotificationEmailData, renderNotificationEmail } from "./templates/notification-email";

export type { Mailer };

/** Notifications due at once to one person above this many go out as one grouped email. */
export const GROUP_THRESHOLD = 3;
/** A grouped email lists at most this many orders, then links to the inbox for the rest. */
export const GROUP_LIST_LIMIT = 50;

/**
 * The email half of the outbox. Notifications are committed first; a sender then claims due rows
 * (FOR UPDATE SKIP LOCKED plus a lease in email_locked_until, so concurrent senders never take
 * the same row), sends each with the notification's id as idempotency key, and records the
 * outcome. A sender that dies mid-send leaves a lease that expires; the retry reuses the key, so
 * the provider (or the mailbox's unique key) drops the duplicate.
 *
 * A claim counts the attempt (email_attempts) before anything is sent, and each answer is
 * recorded as it arrives: a row that may have left is never again taken for a grouped email
 * (whose key would be new), only sent again alone under its own key. A claimed row that was
 * never requested (the pass ran out of time) is handed back with its attempt uncounted.
 *
 * Before sending, a pass groups (compose): the due, never-tried notifications it locks are
 * grouped per recipient, and a recipient with more than GROUP_THRESHOLD of them (or with more than
 * one, when the backlog is more than the provider's rate lets the pass send), or with daily-digest
 * ones, gets one email_digests row instead, whose id is that email's idempotency key. Grouping and
 * claiming lock the same rows with SKIP LOCKED, so each notification is in one email only.
 *
 * Whether the recipient may still read the order is asked when the email is sent, not when the
 * rule fired (lib/auth/policy.ts): someone who has since left the store, or been deactivated, is
 * told nothing of it (email_status 'skipped', with the reason).
 */

export type DeliverySummary = {
  sent: number;
  failed: number;
  retried: number;
  grouped?: number;
  /** 429 answers seen, and how many of them the pass waited out (Retry-After) and tried again. */
  rateLimited?: number;
  rateLimitWaits?: number;
  /** Emails not sent because the recipient may no longer read the order. */
  skipped?: number;
};
/** `signal`: a stop (the process is shutting down): nothing new is started, claimed rows go back. */
export type DeliveryOptions = { now?: Date; mailer?: Mailer; budgetMs?: number; batchSize?: number; concurrency?: number; signal?: AbortSignal };

export const MAX_EMAIL_ATTEMPTS = 8;
const LEASE_MS = 5 * 60_000;
const DEFAULT_BUDGET_MS = 45_000;
/** Emails rendered and in flight at once: the request's latency, not the CPU, is what limits a pass. */
const DEFAULT_CONCURRENCY = 12;
const DEFAULT_BATCH = 200;
/** A 429 is waited out and the same email tried again, this many times in a pass at most. */
const RATE_LIMIT_TRIES = 5;
const MAX_RATE_LIMIT_WAIT_MS = 10_000;

/**
 * Wait before attempt n + 1 after n failed ones: 1, 2, 4 … minutes, at most an hour. All eight
 * attempts fit well inside the 24 hours Resend keeps an idempotency key.
 */
export const retryDelayMs = (attempts: number) => Math.min(60 * 60_000, 60_000 * 2 ** Math.max(0, attempts - 1));

/** Claims due rows: a lease, and the attempt counted now, before anything can leave. */
async function claim(db: Db, now: Date, limit: number): Promise<string[]> {
  const due = db
    .select({ id: notifications.id })
    .from(notifications)
    .where(
      and(
        eq(notifications.emailStatus, "pending"),
        isNull(notifications.digestId),
        lte(notifications.emailNextAttemptAt, now),
        or(isNull(notifications.emailLockedUntil), lte(notifications.emailLockedUntil, now)),
      ),
    )
    .orderBy(notifications.emailNextAttemptAt, notifications.createdAt)
    .limit(limit)
    .for("update", { skipLocked: true });
  const rows = await db
    .update(notifications)
    .set({ emailLockedUntil: new Date(now.getTime() + LEASE_MS), emailAttempts: sql`${notifications.emailAttempts} + 1` })
    .where(inArray(notifications.id, due))
    .returning({ id: notifications.id });
  return rows.map((r) => r.id);
}

/** Claimed rows that were never requested go back as they were: no lease, the attempt uncounted. */
async function handBack(db: Db, ids: string[]) {
  if (!ids.length) return;
  await db
    .update(notifications)
    .set({ emailLockedUntil: null, emailAttempts: sql`greatest(${notifications.emailAttempts} - 1, 0)` })
    .where(and(inArray(notifications.id, ids), eq(notifications.emailStatus, "pending")));
}

/** An account as the policy reads it: its roles and stores now. */
const recipientStores = sql<number[]>`coalesce((select array_agg(${storeMembers.storeId}) from ${storeMembers} where ${storeMembers.accountId} = ${accounts.id}), '{}')`;

type Recipient = { id: number; name: string; email: string; active: boolean; roles: RoleKey[]; storeIds: number[] };

/**
 * May this account, as it is now, read this order? Asked at send time. This is the policy's
 * `can.order` (lib/auth/policy.ts restates nothing: it is the workflow's `decide`), asked of the
 * workflow directly because lib/auth sends through this outbox.
 */
function mayStillRead(r: Recipient, order: Pick<Order, "storeId" | "stage" | "state">): boolean {
  return r.active && decide({ id: r.id, name: r.name, email: r.email, roles: r.roles, storeIds: r.storeIds.map(Number) }, "readOrder", order).ok;
}

const NOT_READABLE = "Not sent: the recipient may no longer read this order";

/** The account an account alert is about (lib/auth/lock-alert.ts). */
const aboutAccount = alias(accounts, "about_account");

async function loadClaimed(db: Db, ids: string[]) {
  const rows = await db
    .select({
      id: notifications.id,
      message: notifications.message,
      priority: notifications.priority,
      attempts: notifications.emailAttempts,
      to: accounts.email,
      recipientName: accounts.name,
      recipientTimeZone: accounts.timeZone,
      recipient: { id: accounts.id, name: accounts.name, email: accounts.email, active: accounts.active, roles: accounts.roles, storeIds: recipientStores },
      orderId: orders.id,
      storeId: orders.storeId,
      storeName: stores.name,
      productSummary: orders.productSummary,
      quantity: orderQuantitySql,
      stage: orders.stage,
      state: orders.state,
      stageDueAt: orders.stageDueAt,
      requiredDeliveryDate: orders.requiredDeliveryDate,
      aboutAccountId: aboutAccount.id,
      aboutName: aboutAccount.name,
      aboutEmail: aboutAccount.email,
    })
    .from(notifications)
    .innerJoin(accounts, eq(accounts.id, notifications.accountId))
    .leftJoin(orders, eq(orders.id, notifications.orderId))
    .leftJoin(stores, eq(stores.id, orders.storeId))
    .leftJoin(aboutAccount, eq(aboutAccount.id, notifications.aboutAccountId))
    .where(inArray(notifications.id, ids))
    .orderBy(notifications.createdAt);
  // An alert is about an order or about an account.
  return rows.map((r) => {
    const order =
      r.orderId !== null && r.storeId !== null && r.stage !== null && r.state !== null && r.stageDueAt !== null
        ? {
            id: r.orderId,
            storeId: r.storeId,
            storeName: r.storeName ?? "",
            productSummary: r.productSummary ?? "",
            quantity: r.quantity,
            stage: r.stage,
            state: r.state,
            stageDueAt: r.stageDueAt,
            requiredDeliveryDate: r.requiredDeliveryDate,
          }
        : null;
    const subject: Pick<NotificationEmailData, "order" | "account"> = order
      ? { order }
      : { account: { id: r.aboutAccountId ?? 0, name: r.aboutName ?? "", email: r.aboutEmail ?? "" } };
    return { id: r.id, message: r.message, priority: r.priority, attempts: r.attempts, to: r.to, recipientName: r.recipientName, recipientTimeZone: r.recipientTimeZone, recipient: r.recipient, order, subject };
  });
}

type Claimed = Awaited<ReturnType<typeof loadClaimed>>[number];

type Outcome = "sent" | "failed" | "retried";

/**
 * Records sent emails (the pass records each as its answer arrives). Conditional on the row still
 * pending, like the single-row updates: a row another sender has already recorded is left as it
 * is. The attempt was counted when the row was claimed.
 */
export async function recordSent(db: Db, sent: readonly { id: string; providerId: string | null }[], at: Date): Promise<void> {
  if (!sent.length) return;
  const rows = JSON.stringify(sent.map((s) => ({ id: s.id, provider_id: s.providerId })));
  await db.execute(sql`
    update ${notifications} as n
    set email_status = 'sent', email_sent_at = ${at.toISOString()}::timestamptz,
      email_locked_until = null, email_last_error = null, email_provider_id = v.provider_id
    from jsonb_to_recordset(${rows}::jsonb) as v(id uuid, provider_id text)
    where n.id = v.id and n.email_status = 'pending'`);
}

/** Records an email not sent because its recipient may no longer read the order: never tried, never again. */
async function recordSkipped(db: Db, id: string): Promise<void> {
  await db
    .update(notifications)
    .set({ emailStatus: "skipped", emailLockedUntil: null, emailLastError: NOT_READABLE, emailAttempts: sql`greatest(${notifications.emailAttempts} - 1, 0)` })
    .where(and(eq(notifications.id, id), eq(notifications.emailStatus, "pending")));
}

/** Records an email that was not sent: tried again later (backoff, or as long as Retry-After asks), or failed for good. */
async function record(db: Db, n: Claimed, outcome: Exclude<SendOutcome, { status: "sent" }>, at: Date): Promise<Outcome> {
  const mine = and(eq(notifications.id, n.id), eq(notifications.emailStatus, "pending"));
  // Counted when the row was claimed.
  const attempts = n.attempts;
  if (outcome.status === "retry" && attempts < MAX_EMAIL_ATTEMPTS) {
    const wait = Math.max(retryDelayMs(attempts), outcome.retryAfterMs ?? 0);
    await db
      .update(notifications)
      .set({ emailAttempts: attempts, emailNextAttemptAt: new Date(at.getTime() + wait), emailLockedUntil: null, emailLastError: outcome.error })
      .where(mine);
    return "retried";
  }
  const error = outcome.status === "retry" ? `Gave up after ${attempts} attempts: ${outcome.error}` : outcome.error;
  await db.update(notifications).set({ emailStatus: "failed", emailAttempts: attempts, emailLockedUntil: null, emailLastError: error }).where(mine);
  return "failed";
}

async function attempt(mailer: Mailer, n: Claimed, appUrl: string): Promise<SendOutcome> {
  let email: OutgoingEmail;
  try {
    const { subject, html, text } = await renderNotificationEmail({
      recipientName: n.recipientName,
      recipientTimeZone: n.recipientTimeZone,
      message: n.message,
      priority: n.priority,
      ...n.subject,
      appUrl,
    });
    email = { to: n.to, subject, html, text, idempotencyKey: n.id };
  } catch (error) {
    return { status: "retry", error: error instanceof Error ? error.message : String(error) };
  }
  return mailer.send(email);
}

/** Due, never tried, not in a grouped email and not leased: what grouping may take. An account alert always goes alone. */
const groupable = (now: Date) =>
  and(
    isNotNull(notifications.orderId),
    eq(notifications.emailStatus, "pending"),
    isNull(notifications.digestId),
    eq(notifications.emailAttempts, 0),
    lte(notifications.emailNextAttemptAt, now),
    or(isNull(notifications.emailLockedUntil), lte(notifications.emailLockedUntil, now)),
  );

/**
 * Groups the due, never-tried notifications: per recipient, daily-digest ones always, immediate
 * ones when more than `threshold` (GROUP_THRESHOLD unless the pass is behind) are due at once. Counted per recipient first, then each
 * recipient's rows are taken in one statement (FOR UPDATE SKIP LOCKED, so rows a concurrent
 * sender holds stay with it). Returns how many grouped emails it made.
 */
export async function composeGroupedEmails(db: Db, now: Date, threshold: number = GROUP_THRESHOLD): Promise<number> {
  const counts = await db
    .select({
      accountId: notifications.accountId,
      daily: sql<number>`count(*) filter (where ${notifications.emailMode} = 'digest')`.mapWith(Number),
      immediate: sql<number>`count(*) filter (where ${notifications.emailMode} <> 'digest')`.mapWith(Number),
    })
    .from(notifications)
    .where(groupable(now))
    .groupBy(notifications.accountId)
    .orderBy(notifications.accountId);
  let made = 0;
  for (const c of counts) {
    const grouped = c.immediate > threshold;
    if (!c.daily && !grouped) continue;
    const took = await db.transaction(async (tx) => {
      const [digest] = await tx
        .insert(emailDigests)
        .values({ accountId: c.accountId, kind: c.daily ? "daily" : "grouped", createdAt: now, emailNextAttemptAt: now })
        .returning({ id: emailDigests.id });
      const mine = tx
        .select({ id: notifications.id })
        .from(notifications)
        .where(and(groupable(now), eq(notifications.accountId, c.accountId), grouped ? undefined : eq(notifications.emailMode, "digest")))
        .for("update", { skipLocked: true });
      const [{ n }] = rowsOf<{ n: number }>(
        await tx.execute(sql`with u as (update ${notifications} set digest_id = ${digest.id} where ${notifications.id} in (${mine}) returning 1) select count(*)::int as n from u`),
      );
      // Everything was taken by a concurrent pass: no empty email.
      if (!Number(n)) await tx.delete(emailDigests).where(eq(emailDigests.id, digest.id));
      return Number(n);
    });
    if (took) made++;
  }
  return made;
}

async function claimDigests(db: Db, now: Date, limit: number): Promise<string[]> {
  const due = db
    .select({ id: emailDigests.id })
    .from(emailDigests)
    .where(
      and(
        eq(emailDigests.emailStatus, "pending"),
        lte(emailDigests.emailNextAttemptAt, now),
        or(isNull(emailDigests.emailLockedUntil), lte(emailDigests.emailLockedUntil, now)),
      ),
    )
    .orderBy(emailDigests.emailNextAttemptAt, emailDigests.createdAt)
    .limit(limit)
    .for("update", { skipLocked: true });
  const rows = await db
    .update(emailDigests)
    .set({ emailLockedUntil: new Date(now.getTime() + LEASE_MS), emailAttempts: sql`${emailDigests.emailAttempts} + 1` })
    .where(inArray(emailDigests.id, due))
    .returning({ id: emailDigests.id });
  return rows.map((r) => r.id);
}

async function sendDigest(db: Db, mailer: Mailer, id: string, appUrl: string, at: () => Date): Promise<{ outcome: Outcome | "skipped"; result: SendOutcome | null }> {
  const [digest] = await db
    .select({
      id: emailDigests.id,
      kind: emailDigests.kind,
      attempts: emailDigests.emailAttempts,
      to: accounts.email,
      recipientName: accounts.name,
      recipient: { id: accounts.id, name: accounts.name, email: accounts.email, active: accounts.active, roles: accounts.roles, storeIds: recipientStores },
    })
    .from(emailDigests)
    .innerJoin(accounts, eq(accounts.id, emailDigests.accountId))
    .where(eq(emailDigests.id, id));
  const mine = and(eq(emailDigests.id, id), eq(emailDigests.emailStatus, "pending"));
  const members = and(eq(notifications.digestId, id), eq(notifications.emailStatus, "pending"));
  // The orders the recipient may no longer read leave the email before it is written.
  const scope = await db
    .select({ id: notifications.id, storeId: orders.storeId, stage: orders.stage, state: orders.state })
    .from(notifications)
    .innerJoin(orders, eq(orders.id, notifications.orderId))
    .where(members);
  const unreadable = scope.filter((o) => !mayStillRead(digest.recipient, o)).map((o) => o.id);
  if (unreadable.length) {
    await db.update(notifications).set({ emailStatus: "skipped", emailLastError: NOT_READABLE }).where(and(members, inArray(notifications.id, unreadable)));
  }
  if (unreadable.length === scope.length) {
    await db.update(emailDigests).set({ emailStatus: "skipped", emailLockedUntil: null, emailLastError: NOT_READABLE, emailAttempts: sql`greatest(${emailDigests.emailAttempts} - 1, 0)` }).where(mine);
    return { outcome: "skipped", result: null };
  }
  const items = await db
    .select({
      message: notifications.message,
      priority: notifications.priority,
      order: { id: orders.id, storeName: stores.name, productSummary: orders.productSummary, stage: orders.stage, state: orders.state },
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(notifications)
    .innerJoin(orders, eq(orders.id, notifications.orderId))
    .innerJoin(stores, eq(stores.id, orders.storeId))
    .where(members)
    .orderBy(sql`${notifications.priority} = 'high' desc`, notifications.createdAt, notifications.orderId)
    .limit(GROUP_LIST_LIMIT);
  let result: SendOutcome;
  try {
    const { subject, html, text } = await renderDigestEmail({ recipientName: digest.recipientName, kind: digest.kind, total: items[0]?.total ?? 0, items, appUrl });
    result = await mailer.send({ to: digest.to, subject, html, text, idempotencyKey: digest.id });
  } catch (error) {
    result = { status: "retry", error: error instanceof Error ? error.message : String(error) };
  }
  const now = at();
  if (result.status === "retry" && result.notSent) {
    await db.update(emailDigests).set({ emailLockedUntil: null, emailAttempts: sql`greatest(${emailDigests.emailAttempts} - 1, 0)` }).where(mine);
    return { outcome: "retried", result };
  }
  // Counted when the digest was claimed.
  const attempts = digest.attempts;
  if (result.status === "sent") {
    await db.transaction(async (tx) => {
      await tx.update(emailDigests).set({ emailStatus: "sent", emailSentAt: now, emailAttempts: attempts, emailLockedUntil: null, emailLastError: null, emailProviderId: result.providerId }).where(mine);
      await tx.update(notifications).set({ emailStatus: "sent", emailSentAt: now, emailAttempts: attempts, emailProviderId: result.providerId }).where(members);
    });
    return { outcome: "sent", result };
  }
  if (result.status === "retry" && attempts < MAX_EMAIL_ATTEMPTS) {
    const wait = Math.max(retryDelayMs(attempts), result.retryAfterMs ?? 0);
    await db.update(emailDigests).set({ emailAttempts: attempts, emailNextAttemptAt: new Date(now.getTime() + wait), emailLockedUntil: null, emailLastError: result.error }).where(mine);
    return { outcome: "retried", result };
  }
  const error = result.status === "retry" ? `Gave up after ${attempts} attempts: ${result.error}` : result.error;
  await db.transaction(async (tx) => {
    await tx.update(emailDigests).set({ emailStatus: "failed", emailAttempts: attempts, emailLockedUntil: null, emailLastError: error }).where(mine);
    await tx.update(notifications).set({ emailStatus: "failed", emailAttempts: attempts, emailLastError: error }).where(members);
  });
  return { outcome: "failed", result };
}

/**
 * Every request takes a turn from the mailer's pacer (lib/email/pacing.ts: the configured rate,
 * narrowed by the provider's rate-limit headers), shared by the pass's senders and by every other
 * pass of the process. A 429 holds every sender for Retry-After (a second when it does not say,
 * at most MAX_RATE_LIMIT_WAIT_MS), and the same email, with the same idempotency key, is tried
 * again at its next turn. An email still limited after RATE_LIMIT_TRIES, or whose turn would
 * come after the pass's end, is not sent in this pass (notSent: handed back untried, or recorded
 * as retried when the provider limited it).
 */
function paced(mailer: Mailer, summary: DeliverySummary, deadline: number, signal?: AbortSignal): Mailer & { closedForThePass: () => boolean; pacer: SendPacer } {
  const pacer = mailer.pacer ?? new SendPacer(Number.POSITIVE_INFINITY);
  const closedForThePass = () => pacer.openAt >= deadline || Boolean(signal?.aborted);
  return {
    name: mailer.name,
    pacer,
    closedForThePass,
    async send(email) {
      for (let tries = 1; ; tries++) {
        if (!(await pacer.take(deadline))) return { status: "retry", rateLimited: true, notSent: true, error: "rate limited: left for a later pass" };
        const outcome = await mailer.send(email);
        if (outcome.rateLimit) pacer.observe({ ...outcome.rateLimit, retryAfterMs: undefined });
        if (outcome.status !== "retry" || !outcome.rateLimited) return outcome;
        summary.rateLimited = (summary.rateLimited ?? 0) + 1;
        pacer.hold(Math.min(outcome.retryAfterMs ?? 1000, MAX_RATE_LIMIT_WAIT_MS));
        if (tries >= RATE_LIMIT_TRIES || closedForThePass()) return outcome;
        summary.rateLimitWaits = (summary.rateLimitWaits ?? 0) + 1;
      }
    },
  };
}

/** Runs `work` over the items with at most `limit` in flight. */
async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Sends every email that is due, in leased batches, until none is left or the time budget is
 * spent. Within a batch, emails are rendered and sent CONCURRENCY at a time, each when the pacer
 * gives it a turn, and each recorded as its answer arrives. A batch is no larger than the pacer
 * lets the pass send in the time left; what is claimed but not started when the time is up is
 * handed back for the next pass.
 */
export async function deliverPendingEmails(db: Db, options: DeliveryOptions = {}): Promise<DeliverySummary> {
  const summary: DeliverySummary = { sent: 0, failed: 0, retried: 0, grouped: 0, rateLimited: 0, rateLimitWaits: 0, skipped: 0 };
  const started = Date.now();
  const budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
  const deadline = started + budgetMs;
  const mailer = paced(options.mailer ?? defaultMailer(db), summary, deadline, options.signal);
  // Out of time, or told by a 429 to wait past the end of the pass.
  const outOfTime = () => Date.now() >= deadline || mailer.closedForThePass();
  /** Emails the pacer lets this pass start in the time it has left. */
  const sendable = () => {
    const left = Math.max(0, deadline - Date.now());
    return Number.isFinite(mailer.pacer.ratePerSecond) ? Math.ceil((mailer.pacer.ratePerSecond * left) / 1000) : left > 0 ? Number.POSITIVE_INFINITY : 0;
  };
  const appUrl = env().APP_URL;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const clock = () => options.now ?? new Date();
  const now = clock();
  summary.grouped = await composeGroupedEmails(db, now, (await groupableCount(db, now)) > sendable() ? 1 : GROUP_THRESHOLD);
  while (!outOfTime()) {
    const digestIds = await claimDigests(db, now, Math.min(concurrency, sendable()));
    const unstarted: string[] = [];
    await inPool(digestIds, concurrency, async (id) => {
      if (outOfTime()) return void unstarted.push(id);
      const { outcome, result } = await sendDigest(db, mailer, id, appUrl, clock);
      if (outcome === "skipped") summary.skipped = (summary.skipped ?? 0) + 1;
      else if (result?.status !== "retry" || !result.notSent) summary[outcome]++;
    });
    if (unstarted.length) {
      await db
        .update(emailDigests)
        .set({ emailLockedUntil: null, emailAttempts: sql`greatest(${emailDigests.emailAttempts} - 1, 0)` })
        .where(and(inArray(emailDigests.id, unstarted), eq(emailDigests.emailStatus, "pending")));
    }

    const ids = outOfTime() ? [] : await claim(db, now, Math.min(options.batchSize ?? DEFAULT_BATCH, sendable() + concurrency));
    if (!ids.length && !digestIds.length) break;
    const batch = ids.length ? await loadClaimed(db, ids) : [];
    const untried: string[] = [];
    await inPool(batch, concurrency, async (n) => {
      if (outOfTime()) return void untried.push(n.id);
      // An account alert goes to the active administrators it was queued for.
      if (n.order ? !mayStillRead(n.recipient, n.order) : !n.recipient.active) {
        await recordSkipped(db, n.id);
        summary.skipped = (summary.skipped ?? 0) + 1;
        return;
      }
      const outcome = await attempt(mailer, n, appUrl);
      if (outcome.status === "retry" && outcome.notSent) return void untried.push(n.id);
      if (outcome.status === "sent") {
        await recordSent(db, [{ id: n.id, providerId: outcome.providerId }], clock());
        summary.sent++;
      } else summary[await record(db, n, outcome, clock())]++;
    });
    // Out of time: the rest goes back untouched for the next pass.
    await handBack(db, untried);
  }
  return summary;
}

/** Due notifications grouping could take now. */
async function groupableCount(db: Db, now: Date): Promise<number> {
  const [{ n }] = await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(notifications).where(groupable(now));
  return n;
}

/**
 * Sends what a command just queued, right after its commit (commands hand this to their
 * afterCommit hook: after the response in a server action). What it cannot send in time, the
 * next pass does.
 */
export async function sendQueuedEmails(db: Db): Promise<void> {
  try {
    const summary = await deliverPendingEmails(db, { budgetMs: 20_000 });
    if (summary.sent || summary.failed || summary.retried) logger.info({ where: "outbox", ...summary }, "emails sent after the commit");
  } catch (error) {
    reportUnexpected("email delivery after the commit", error);
  }
}
