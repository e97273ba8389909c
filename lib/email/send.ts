import "server-only";
import { Resend } from "resend";
import type { Executor } from "@/db/client";
import { devMailbox } from "@/db/schema";
import { emailUnconfigured, env } from "@/lib/env";
import { type RateLimitInfo, SendPacer, readRateLimitHeaders } from "./pacing";

/**
 * The one way email leaves Makeline: through Resend when RESEND_API_KEY is set, into the
 * development mailbox (dev_mailbox, shown at /dev/mailbox) otherwise. Both are idempotent on the
 * key: Resend deduplicates on its Idempotency-Key header, the mailbox on a unique column.
 */

export type OutgoingEmail = { to: string; subject: string; html: string; text: string; idempotencyKey: string };

export type SendOutcome =
  | { status: "sent"; providerId: string | null; rateLimit?: RateLimitInfo }
  /** Worth trying again later: rate limited, a server error, or no answer (notSent: never requested, as the pass had to stop). */
  | { status: "retry"; error: string; retryAfterMs?: number; rateLimited?: boolean; notSent?: boolean; rateLimit?: RateLimitInfo }
  /** Will not succeed by trying again (a 4xx such as an invalid address). */
  | { status: "failed"; error: string; rateLimit?: RateLimitInfo };

/**
 * `pacer`: the turns this mailer's requests take (lib/email/pacing.ts), shared by every pass of
 * the process; none: as fast as the senders go (the development mailbox).
 */
export type Mailer = { name: "resend" | "devMailbox" | "unconfigured"; send: (email: OutgoingEmail) => Promise<SendOutcome>; pacer?: SendPacer };

const SEND_TIMEOUT_MS = 15_000;

type ResendError = { message?: string; statusCode?: number | null; name?: string };

/**
 * How a Resend error is handled. 429, 5xx, no answer, a concurrent duplicate, and an answer
 * that does not say its status (a proxy's JSON in front of Resend) are tried again. The same key
 * with a different payload (409 invalid_idempotent_request) means the key was used before:
 * a key is only ever reused for the same email, so that email was delivered; what changed since
 * is its content (it is rendered at send time). Any other 4xx fails for good.
 */
export function classifyResendError(error: ResendError, headers: Record<string, string> | null): SendOutcome {
  const status = typeof error.statusCode === "number" ? error.statusCode : null;
  const text = `${status ?? "no status"} ${error.name ?? "unknown_error"}: ${error.message ?? ""}`.trimEnd();
  const rateLimit = readRateLimitHeaders(headers);
  if (status === 409 && error.name === "invalid_idempotent_request") return { status: "sent", providerId: null, rateLimit };
  const retryable = status === null || status === 429 || status >= 500 || (status === 409 && error.name === "concurrent_idempotent_requests");
  if (!retryable) return { status: "failed", error: text, rateLimit };
  return { status: "retry", error: text, rateLimited: status === 429, rateLimit, ...(rateLimit.retryAfterMs ? { retryAfterMs: rateLimit.retryAfterMs } : {}) };
}

/** Requests a second to Resend when RESEND_RATE_PER_SECOND does not say (Resend's default per team). */
export const DEFAULT_RESEND_RATE = 2;

export function resendMailer(options: { apiKey: string; baseUrl?: string; from: string; ratePerSecond?: number }): Mailer {
  const resend = new Resend(options.apiKey, options.baseUrl ? { baseUrl: options.baseUrl.replace(/\/$/, "") } : undefined);
  return {
    name: "resend",
    pacer: new SendPacer(options.ratePerSecond ?? DEFAULT_RESEND_RATE),
    async send(email) {
      const { data, error, headers } = await resend.emails.send(
        { from: options.from, to: email.to, subject: email.subject, html: email.html, text: email.text },
        { idempotencyKey: email.idempotencyKey, signal: AbortSignal.timeout(SEND_TIMEOUT_MS) },
      );
      if (error) return classifyResendError(typeof error === "object" ? error : { message: String(error) }, headers);
      // An answer with neither (a failure whose body was JSON null): unknown, so tried again under the same key.
      if (!data) return { status: "retry", error: "no status: the answer held neither an email id nor an error", rateLimit: readRateLimitHeaders(headers) };
      return { status: "sent", providerId: data.id ?? null, rateLimit: readRateLimitHeaders(headers) };
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

/** One Resend mailer per key and address, so every pass in the process shares its pacer. */
const resendMailers = new Map<string, Mailer>();

/** Resend when a key is configured (RESEND_BASE_URL points it elsewhere, e.g. a test server). */
export function defaultMailer(db: Executor): Mailer {
  const e = env();
  if (emailUnconfigured()) return unconfiguredMailer;
  if (e.RESEND_API_KEY) {
    const key = JSON.stringify([e.RESEND_API_KEY, e.RESEND_BASE_URL, e.EMAIL_FROM, e.RESEND_RATE_PER_SECOND]);
    let mailer = resendMailers.get(key);
    if (!mailer) {
      mailer = resendMailer({ apiKey: e.RESEND_API_KEY, baseUrl: e.RESEND_BASE_URL, from: e.EMAIL_FROM, ratePerSecond: e.RESEND_RATE_PER_SECOND });
      resendMailers.set(key, mailer);
    }
    return mailer;
  }
  return devMailboxMailer(db, e.EMAIL_FROM);
}
