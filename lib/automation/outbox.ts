import { and, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import "server-only";
import type { Db } from "@/db/client";
import { accounts, emailDigests, notifications, orders, stores } from "@/db/schema";
import { env } from "@/lib/env";
import { type Mailer, type OutgoingEmail, type SendOutcome, defaultMailer } from "@/lib/email/send";
import { renderDigestEmail } from "@/lib/email/templates/digest-email";
import { renderNotificationEmail } from "@/lib/email/templates/notification-email";
import { GROUP_LIST_LIMIT, GROUP_THRESHOLD } from "./preferences";

export type { Mailer };

/**
 * The email half of the outbox. Notifications are committed first; a sender then claims due rows
 * (FOR UPDATE SKIP LOCKED plus a lease in email_locked_until, so concurrent senders never take
 * the same row), sends each with the notification's id as idempotency key, and records the
 * outcome. A sender that dies mid-send leaves a lease that expires; the retry reuses the key, so
 * the provider (or the mailbox's unique key) drops the duplicate.
 *
 * Before sending, a pass groups (compose): the due notifications it locks are grouped per
 * recipient, and a recipient with more than GROUP_THRESHOLD of them, or with daily-digest ones,
 * gets one email_digests row instead, whose id is that email's idempotency key. Grouping and
 * claiming lock the same rows with SKIP LOCKED, so each notification is in one email only.
 */

export type DeliverySummary = { sent: number; failed: number; retried: number; grouped?: number };
export type DeliveryOptions = { now?: Date; mailer?: Mailer; budgetMs?: number; batchSize?: number };

export const MAX_EMAIL_ATTEMPTS = 8;
const LEASE_MS = 5 * 60_000;
const DEFAULT_BUDGET_MS = 45_000;

/**
 * Wait before attempt n + 1 after n failed ones: 1, 2, 4 … minutes, at most an hour. All eight
 * attempts fit well inside the 24 hours Resend keeps an idempotency key.
 */
export const retryDelayMs = (attempts: number) => Math.min(60 * 60_000, 60_000 * 2 ** Math.max(0, attempts - 1));

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
    .set({ emailLockedUntil: new Date(now.getTime() + LEASE_MS) })
    .where(inArray(notifications.id, due))
    .returning({ id: notifications.id });
  return rows.map((r) => r.id);
}

function loadClaimed(db: Db, ids: string[]) {
  return db
    .select({
      id: notifications.id,
      message: notifications.message,
      priority: notifications.priority,
      attempts: notifications.emailAttempts,
      to: accounts.email,
      recipientName: accounts.name,
      recipientTimeZone: accounts.timeZone,
      order: {
        id: orders.id,
        storeName: stores.name,
        productSummary: orders.productSummary,
        quantity: sql<number | null>`(${orders.fields}->>'orderQuantity')::int`,
        stage: orders.stage,
        state: orders.state,
        stageDueAt: orders.stageDueAt,
        requiredDeliveryDate: orders.requiredDeliveryDate,
      },
    })
    .from(notifications)
    .innerJoin(accounts, eq(accounts.id, notifications.accountId))
    .innerJoin(orders, eq(orders.id, notifications.orderId))
    .innerJoin(stores, eq(stores.id, orders.storeId))
    .where(inArray(notifications.id, ids))
    .orderBy(notifications.createdAt);
}

type Claimed = Awaited<ReturnType<typeof loadClaimed>>[number];

type Outcome = "sent" | "failed" | "retried";

async function record(db: Db, n: Claimed, outcome: SendOutcome, at: Date): Promise<Outcome> {
  const mine = and(eq(notifications.id, n.id), eq(notifications.emailStatus, "pending"));
  const attempts = n.attempts + 1;
  if (outcome.status === "sent") {
    await db
      .update(notifications)
      .set({ emailStatus: "sent", emailSentAt: at, emailAttempts: attempts, emailLockedUntil: null, emailLastError: null, emailProviderId: outcome.providerId })
      .where(mine);
    return "sent";
  }
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
  try {
    const { subject, html, text } = await renderNotificationEmail({
      recipientName: n.recipientName,
      recipientTimeZone: n.recipientTimeZone,
      message: n.message,
      priority: n.priority,
      order: n.order,
      appUrl,
    });
    const email: OutgoingEmail = { to: n.to, subject, html, text, idempotencyKey: n.id };
    return await mailer.send(email);
  } catch (error) {
    return { status: "retry", error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Groups the due, never-tried notifications this pass can lock: per recipient, daily-digest ones
 * always, immediate ones when more than GROUP_THRESHOLD are due at once. Returns how many
 * grouped emails it made.
 */
export async function composeGroupedEmails(db: Db, now: Date, limit = 50_000): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: notifications.id, accountId: notifications.accountId, mode: notifications.emailMode })
      .from(notifications)
      .where(
        and(
          eq(notifications.emailStatus, "pending"),
          isNull(notifications.digestId),
          eq(notifications.emailAttempts, 0),
          lte(notifications.emailNextAttemptAt, now),
          or(isNull(notifications.emailLockedUntil), lte(notifications.emailLockedUntil, now)),
        ),
      )
      .orderBy(notifications.accountId, notifications.createdAt)
      .limit(limit)
      .for("update", { skipLocked: true });
    const groups = new Map<number, { daily: string[]; immediate: string[] }>();
    for (const n of due) {
      const g = groups.get(n.accountId) ?? { daily: [], immediate: [] };
      (n.mode === "digest" ? g.daily : g.immediate).push(n.id);
      groups.set(n.accountId, g);
    }
    let made = 0;
    for (const [accountId, g] of [...groups].sort(([a], [b]) => a - b)) {
      const grouped = g.immediate.length > GROUP_THRESHOLD;
      const ids = [...g.daily, ...(grouped ? g.immediate : [])];
      if (!ids.length) continue;
      const [digest] = await tx
        .insert(emailDigests)
        .values({ accountId, kind: g.daily.length ? "daily" : "grouped", createdAt: now, emailNextAttemptAt: now })
        .returning({ id: emailDigests.id });
      for (let i = 0; i < ids.length; i += 5000) {
        await tx.update(notifications).set({ digestId: digest.id }).where(inArray(notifications.id, ids.slice(i, i + 5000)));
      }
      made++;
    }
    return made;
  });
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
    .set({ emailLockedUntil: new Date(now.getTime() + LEASE_MS) })
    .where(inArray(emailDigests.id, due))
    .returning({ id: emailDigests.id });
  return rows.map((r) => r.id);
}

async function sendDigest(db: Db, mailer: Mailer, id: string, appUrl: string, at: () => Date): Promise<{ outcome: Outcome; result: SendOutcome }> {
  const [digest] = await db
    .select({ id: emailDigests.id, kind: emailDigests.kind, attempts: emailDigests.emailAttempts, to: accounts.email, recipientName: accounts.name })
    .from(emailDigests)
    .innerJoin(accounts, eq(accounts.id, emailDigests.accountId))
    .where(eq(emailDigests.id, id));
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
    .where(eq(notifications.digestId, id))
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
  const mine = and(eq(emailDigests.id, id), eq(emailDigests.emailStatus, "pending"));
  const attempts = digest.attempts + 1;
  const members = and(eq(notifications.digestId, id), eq(notifications.emailStatus, "pending"));
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

const pause = (outcome: SendOutcome) =>
  outcome.status === "retry" && outcome.rateLimited
    ? // Resend limits requests per second: wait as long as it asks (a second when it does not
      // say), then go on with the others; the limited one waits for a later pass.
      new Promise((resolve) => setTimeout(resolve, Math.min(outcome.retryAfterMs ?? 1000, 10_000)))
    : null;

/** Sends every email that is due, in leased batches, until none is left or the time budget is spent. */
export async function deliverPendingEmails(db: Db, options: DeliveryOptions = {}): Promise<DeliverySummary> {
  const summary: DeliverySummary = { sent: 0, failed: 0, retried: 0, grouped: 0 };
  const mailer = options.mailer ?? defaultMailer(db);
  const appUrl = env().APP_URL;
  const started = Date.now();
  const budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
  const clock = () => options.now ?? new Date();
  const now = clock();
  summary.grouped = await composeGroupedEmails(db, now);
  while (Date.now() - started < budgetMs) {
    const digestIds = await claimDigests(db, now, 5);
    for (let i = 0; i < digestIds.length; i++) {
      if (Date.now() - started >= budgetMs) {
        await db.update(emailDigests).set({ emailLockedUntil: null }).where(inArray(emailDigests.id, digestIds.slice(i)));
        return summary;
      }
      const { outcome, result } = await sendDigest(db, mailer, digestIds[i], appUrl, clock);
      summary[outcome]++;
      await pause(result);
    }
    const ids = await claim(db, now, options.batchSize ?? 25);
    if (!ids.length && !digestIds.length) break;
    const batch = ids.length ? await loadClaimed(db, ids) : [];
    for (let i = 0; i < batch.length; i++) {
      if (Date.now() - started >= budgetMs) {
        // Out of time: hand the rest back untouched for the next pass.
        const rest = batch.slice(i).map((n) => n.id);
        await db.update(notifications).set({ emailLockedUntil: null }).where(inArray(notifications.id, rest));
        return summary;
      }
      const outcome = await attempt(mailer, batch[i], appUrl);
      summary[await record(db, batch[i], outcome, clock())]++;
      await pause(outcome);
    }
  }
  return summary;
}

/**
 * Sends what a command just queued, right after its commit (commands hand this to their
 * afterCommit hook: after the response in a server action). What it cannot send in time, the
 * next pass does.
 */
export async function sendQueuedEmails(db: Db): Promise<void> {
  try {
    const summary = await deliverPendingEmails(db, { budgetMs: 20_000 });
    if (summary.sent || summary.failed || summary.retried) console.log(`[automations] after the commit: ${JSON.stringify(summary)}`);
  } catch (error) {
    console.error("email delivery after the commit failed", error);
  }
}
