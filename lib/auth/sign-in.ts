import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db, Executor } from "@/db/client";
import { accounts } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { sendQueuedEmails } from "@/lib/email/outbox";
import { emailAddressSchema, secretSchema, textSchema } from "@/lib/forms/input";
import { canonicalTimeZone } from "@/lib/forms/time-zones";
import type { AfterCommit } from "@/lib/result";
import { alertAdminsOfSlowedSignIn } from "./lock-alert";
import { verifyPassword } from "./password";
import { THROTTLE, addressKey, clearAfterSuccess, delayAfter, emailFailures, emailKey, isLocked, pairKey, recordFailure } from "./throttle";
import { logger } from "@/lib/log";

/** Signing in: the form's schema, the credentials check and the throttled, audited attempt. */

export const signInSchema = z.object({
  email: emailAddressSchema("Enter your email address"),
  password: secretSchema({ message: "Enter your password" }),
  /** The browser's zone, detected by the sign-in form; ignored when it is no IANA name. */
  timeZone: textSchema({ max: 64, singleLine: true }).optional().catch(undefined),
});

/** Email and password to an account, or null: one answer for every kind of failure. */
export async function verifyCredentials(db: Executor, input: unknown) {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return null;
  const [account] = await db.select().from(accounts).where(eq(accounts.email, parsed.data.email));
  if (!account) {
    await verifyPassword(DUMMY_HASH, parsed.data.password); // same time whether or not the email exists
    return null;
  }
  if (!(await verifyPassword(account.passwordHash, parsed.data.password)) || !account.active) return null;
  return { id: String(account.id), name: account.name, email: account.email, sessionVersion: account.sessionVersion };
}

export type SignInUser = NonNullable<Awaited<ReturnType<typeof verifyCredentials>>>;
export type SignInOutcome = { status: "ok"; user: SignInUser } | { status: "invalid" } | { status: "locked" };

export type ThrottleOptions = {
  now?: Date;
  /** How the per-email wait is spent; tests record it instead of sleeping. */
  wait?: (ms: number) => Promise<void>;
  /** Where the administrators' alert and its email run: after the response, in a request. */
  afterCommit?: AfterCommit;
  /** Which form: the audit says "wrong current password" for the account page's. */
  via?: "signIn" | "changePassword";
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A password check under the throttle (lib/auth/throttle.ts), for sign-in and for the current
 * password on the account page: refused without hashing while this (email, address) pair or the
 * address is locked; otherwise it waits as long as the email's failures ask, then checks. A
 * failure counts against the pair, the address and the email; a success clears the pair and the
 * email. Known and unknown emails get the same outcomes and waits.
 */
export async function throttledCheck(db: Db, input: { email: string; password: string }, ip: string, options: ThrottleOptions = {}): Promise<SignInOutcome> {
  const now = options.now ?? new Date();
  const via = options.via ?? "signIn";
  const { email } = input;
  const pair = pairKey(email, ip);
  const address = addressKey(ip);
  if (await isLocked(db, [pair, address], now)) {
    if (via === "signIn") logger.warn({ where: "sign-in", ip }, "sign-in refused while locked");
    return { status: "locked" };
  }
  const delay = delayAfter(await emailFailures(db, email, now));
  if (delay) await (options.wait ?? sleep)(delay);
  const user = await verifyCredentials(db, input);
  if (user) {
    await clearAfterSuccess(db, email, ip);
    return { status: "ok", user };
  }
  const pairFailures = await recordFailure(db, pair, THROTTLE.pairFailures, now);
  const addressFailures = await recordFailure(db, address, THROTTLE.addressFailures, now);
  const failures = await recordFailure(db, emailKey(email), null, now);
  const [known] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, email));
  const accountId = known?.id ?? null;
  await recordAudit(db, { kind: via === "signIn" ? "signInFailed" : "passwordCheckFailed", actorId: via === "signIn" ? null : accountId, accountId, email, ip, at: now });
  const locked = { pair: pairFailures === THROTTLE.pairFailures, address: addressFailures === THROTTLE.addressFailures };
  if (locked.pair || locked.address) await recordAudit(db, { kind: "signInLocked", accountId, email, ip, at: now, after: locked });
  // Exactly one failure makes the count reach the mark, however many run at once.
  if (failures === THROTTLE.emailSlowAfter) {
    await recordAudit(db, { kind: "signInSlowed", accountId, email, ip, at: now, after: { failures } });
    const alert = async (db: Db) => {
      if (await alertAdminsOfSlowedSignIn(db, email, ip, now)) await sendQueuedEmails(db);
    };
    if (options.afterCommit) options.afterCommit(alert);
    else await alert(db);
  }
  if (via === "signIn") logger.warn({ where: "sign-in", ip, locked: locked.pair || locked.address }, locked.pair || locked.address ? "sign-in failed: now locked for 15 minutes" : "sign-in failed");
  return { status: "invalid" };
}

/**
 * A sign-in attempt: the input goes through the sign-in schema first (the bounded input module),
 * and anything that is not an email and a password is a failure of the address alone (no
 * account can match it, and no query sees it). Then the throttled check; a success records the
 * sign-in and, the first time, the browser's time zone.
 */
export async function attemptSignIn(db: Db, input: unknown, ip: string, options: ThrottleOptions = {}): Promise<SignInOutcome> {
  const now = options.now ?? new Date();
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) {
    const address = addressKey(ip);
    if (await isLocked(db, [address], now)) return { status: "locked" };
    const failures = await recordFailure(db, address, THROTTLE.addressFailures, now);
    await recordAudit(db, { kind: "signInFailed", ip, at: now });
    if (failures === THROTTLE.addressFailures) await recordAudit(db, { kind: "signInLocked", ip, at: now, after: { pair: false, address: true } });
    logger.warn({ where: "sign-in", ip }, "malformed sign-in attempt");
    return { status: "invalid" };
  }
  const { email, timeZone } = parsed.data;
  const outcome = await throttledCheck(db, parsed.data, ip, { ...options, now, via: "signIn" });
  if (outcome.status !== "ok") return outcome;
  const id = Number(outcome.user.id);
  // The browser's zone, detected at sign-in, becomes the account's until the person picks one.
  const canonical = timeZone ? canonicalTimeZone(timeZone) : null;
  if (canonical) await db.update(accounts).set({ timeZone: canonical }).where(and(eq(accounts.id, id), isNull(accounts.timeZone)));
  await recordAudit(db, { kind: "signIn", actorId: id, accountId: id, email, ip, at: now });
  return outcome;
}

const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$1FmTs4ANOEjE/6wuQkmAWm3JZVrIzsYNmW0qImuavAE";
