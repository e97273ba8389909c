import "server-only";
import { Resend } from "resend";
import type { Executor } from "@/db/client";
import { devMailbox } from "@/db/schema";
import { emailUnconfigured, env } from "@/lib/env";

/**
 * The one way email leaves Makeline: through Resend when RESEND_API_KEY is set, into the
 * development mailbox (dev_mailbox, shown at /dev/mailbox) otherwise. Both are idempotent on the
 * key: Resend deduplicates on its Idempotency-Key header, the mailbox on a unique column.
 */

export type OutgoingEmail = { to: string; subject: string; html: string; text: string; idempotencyKey: string };

export type SendOutcome =
  | { status: "sent"; providerId: string | null }
  /** Worth trying again later: rate limited, a server error, or no answer (notSent: never requested, as the pass had to stop). */
  | { status: "retry"; error: string; retryAfterMs?: number; rateLimited?: boolean; notSent?: boolean }
  /** Will not succeed by trying again (a 4xx such as an invalid address). */
  | { status: "failed"; error: string };

export type Mailer = { name: "resend" | "devMailbox" | "unconfigured"; send: (email: OutgoingEmail) => Promise<SendOutcome> };

const SEND_TIMEOUT_MS = 15_000;

type ResendError = { message: string; statusCode: number | null; name: string };

/** How a Resend error is handled: retried for 429, 5xx, no answer or a concurrent duplicate. */
export function classifyResendError(error: ResendError, headers: Record<string, string> | null): SendOutcome {
  const status = error.statusCode;
  const text = `${status ?? "no response"} ${error.name}: ${error.message}`;
  const retryable = status === null || status === 429 || status >= 500 || (status === 409 && error.name === "concurrent_idempotent_requests");
  if (!retryable) return { status: "failed", error: text };
  const retryAfter = Number(headers?.["retry-after"]);
  return { status: "retry", error: text, rateLimited: status === 429, ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}) };
}

export function resendMailer(options: { apiKey: string; baseUrl?: string; from: string }): Mailer {
  const resend = new Resend(options.apiKey, options.baseUrl ? { baseUrl: options.baseUrl.replace(/\/$/, "") } : undefined);
  return {
    name: "resend",
    async send(email) {
      const { data, error, headers } = await resend.emails.send(
        { from: options.from, to: email.to, subject: email.subject, html: email.html, text: email.text },
        { idempotencyKey: email.idempotencyKey, signal: AbortSignal.timeout(SEND_TIMEOUT_MS) },
      );
      if (error) return classifyResendError(error, headers);
      return { status: "sent", providerId: data?.id ?? null };
    },
  };
}

export function devMailboxMailer(db: Executor, from: string): Mailer {
  return {
    name: "devMailbox",
    async send(email) {
      await db
        .insert(devMailbox)
        .values({ idempotencyKey: email.idempotencyKey, to: email.to, from, subject: email.subject, html: email.html, text: email.text })
        .onConflictDoNothing({ target: devMailbox.idempotencyKey });
      return { status: "sent", providerId: `dev-mailbox:${email.idempotencyKey}` };
    },
  };
}

/** Why production sends nothing: shown on the rules page and kept as each email's last error. */
export const NO_PROVIDER_MESSAGE = "No email provider is configured: set RESEND_API_KEY (or MAKELINE_DEV_MAILBOX=1 for the development mailbox on purpose).";

/**
 * Production without a provider: every email is retried (and after the last attempt failed) with
 * the reason, never "sent" into a mailbox nobody reads. The start refuses this configuration
 * (lib/env.ts productionProblems); this covers the command-line passes and any start that got by.
 */
export const unconfiguredMailer: Mailer = { name: "unconfigured", send: async () => ({ status: "retry", error: NO_PROVIDER_MESSAGE }) };

/** Resend when a key is configured (RESEND_BASE_URL points it elsewhere, e.g. a test server). */
export function defaultMailer(db: Executor): Mailer {
  const e = env();
  if (emailUnconfigured()) return unconfiguredMailer;
  if (e.RESEND_API_KEY) return resendMailer({ apiKey: e.RESEND_API_KEY, baseUrl: e.RESEND_BASE_URL, from: e.EMAIL_FROM });
  return devMailboxMailer(db, e.EMAIL_FROM);
}
