import { and, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import "server-only";
import type { Db } from "@/db/client";
import { accounts, notifications, orders, stores } from "@/db/schema";
import { env } from "@/lib/env";
import { type Mailer, type OutgoingEmail, type SendOutcome, defaultMailer } from "@/lib/email/send";
import { renderNotificationEmail } from "@/lib/email/templates/notification-email";

export type { Mailer };

/**
 * The email half of the outbox. Notifications are committed first; a sender then claims due rows
 * (FOR UPDATE SKIP LOCKED plus a lease in email_locked_until, so concurrent senders never take
 * the same row), sends each with the notification's id as idempotency key, and records the
 * outcome. A sender that dies mid-send leaves a lease that expires; the retry reuses the key, so
 * the provider (or the mailbox's unique key) drops the duplicate.
 */

export type DeliverySummary = { sent: number; failed: number; retried: number };
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

async function record(db: Db, n: Claimed, outcome: SendOutcome, at: Date): Promise<keyof DeliverySummary> {
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

/** Sends every email that is due, in leased batches, until none is left or the time budget is spent. */
export async function deliverPendingEmails(db: Db, options: DeliveryOptions = {}): Promise<DeliverySummary> {
  const summary: DeliverySummary = { sent: 0, failed: 0, retried: 0 };
  const mailer = options.mailer ?? defaultMailer(db);
  const appUrl = env().APP_URL;
  const started = Date.now();
  const budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
  const clock = () => options.now ?? new Date();
  const now = clock();
  while (Date.now() - started < budgetMs) {
    const ids = await claim(db, now, options.batchSize ?? 25);
    if (!ids.length) break;
    const batch = await loadClaimed(db, ids);
    for (let i = 0; i < batch.length; i++) {
      if (Date.now() - started >= budgetMs) {
        // Out of time: hand the rest back untouched for the next pass.
        const rest = batch.slice(i).map((n) => n.id);
        await db.update(notifications).set({ emailLockedUntil: null }).where(inArray(notifications.id, rest));
        return summary;
      }
      const outcome = await attempt(mailer, batch[i], appUrl);
      summary[await record(db, batch[i], outcome, clock())]++;
      if (outcome.status === "retry" && outcome.rateLimited) {
        // Resend limits requests per second: wait as long as it asks (a second when it does not
        // say), then go on with the others; the limited one waits for a later pass.
        await new Promise((resolve) => setTimeout(resolve, Math.min(outcome.retryAfterMs ?? 1000, 10_000)));
      }
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
