import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db, Executor } from "@/db/client";
import { accounts } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { canonicalTimeZone } from "@/lib/forms/time-zones";
import { verifyPassword } from "./password";
import { THROTTLE, addressKey, clearFailures, emailKey, isLocked, recordFailure } from "./throttle";
import { logger } from "@/lib/log";

/** Signing in: the form's schema, the credentials check and the throttled, audited attempt. */

export const signInSchema = z.object({
  // Trimmed before the format check, so a pasted or autofilled trailing space still signs in.
  email: z.string({ error: "Enter your email address" }).trim().toLowerCase().pipe(z.email("Enter your email address")),
  password: z.string({ error: "Enter your password" }).min(1, "Enter your password").max(200),
  /** The browser's zone, detected by the sign-in form; ignored when it is no IANA name. */
  timeZone: z.string().max(64).optional().catch(undefined),
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

/**
 * A sign-in attempt with throttling and audit: refused without hashing while the email or the
 * client address is locked; a failure counts against both; a success clears the email's count.
 * Known and unknown emails get the same outcomes, so the answer never tells whether one exists.
 */
export async function attemptSignIn(db: Db, input: unknown, ip: string, now = new Date()): Promise<SignInOutcome> {
  const raw = (input ?? {}) as { email?: unknown };
  const email = typeof raw.email === "string" ? raw.email.trim().toLowerCase().slice(0, 320) : "";
  const keys = [emailKey(email), addressKey(ip)];
  if (await isLocked(db, keys, now)) {
    logger.warn({ where: "sign-in", ip }, "sign-in refused while locked");
    return { status: "locked" };
  }
  const user = await verifyCredentials(db, input);
  if (user) {
    await clearFailures(db, keys[0]);
    // The browser's zone, detected at sign-in, becomes the account's until the person picks one.
    const zone = (input as { timeZone?: unknown }).timeZone;
    const canonical = typeof zone === "string" ? canonicalTimeZone(zone) : null;
    if (canonical) {
      await db.update(accounts).set({ timeZone: canonical }).where(and(eq(accounts.id, Number(user.id)), isNull(accounts.timeZone)));
    }
    await recordAudit(db, { kind: "signIn", actorId: Number(user.id), accountId: Number(user.id), email, ip, at: now });
    return { status: "ok", user };
  }
  const [emailLocked, addressLocked] = [
    await recordFailure(db, keys[0], THROTTLE.emailFailures, now),
    await recordFailure(db, keys[1], THROTTLE.addressFailures, now),
  ];
  const [known] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, email));
  await recordAudit(db, { kind: "signInFailed", accountId: known?.id ?? null, email, ip, at: now });
  if (emailLocked || addressLocked) {
    await recordAudit(db, { kind: "signInLocked", accountId: known?.id ?? null, email, ip, at: now, after: { email: emailLocked, address: addressLocked } });
  }
  logger.warn({ where: "sign-in", ip, locked: emailLocked || addressLocked }, emailLocked || addressLocked ? "sign-in failed: now locked for 15 minutes" : "sign-in failed");
  return { status: "invalid" };
}

const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$1FmTs4ANOEjE/6wuQkmAWm3JZVrIzsYNmW0qImuavAE";
