import "server-only";
import { and, eq, gt, inArray, or, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { signInThrottle } from "@/db/schema";

/**
 * Password throttling (decision 016), counted in the database so it holds across restarts and
 * app servers, one atomic upsert per key so concurrent attempts cannot undercount:
 *
 * - per (email, address): 5 failures in 15 minutes lock that pair for 15 minutes;
 * - per address: 20 failures in 15 minutes lock the address for 15 minutes, for every email;
 * - per email, from all addresses: from the 5th failure in 15 minutes on, every attempt on the
 *   email waits before its password is checked, 1 s doubling up to 10 s. Never a lock: the owner
 *   at an address with no failures of its own still signs in, a few seconds later.
 *
 * So nobody can lock somebody else out, and a guesser gets 5 tries per address per 15 minutes.
 */
export const THROTTLE = {
  pairFailures: 5,
  addressFailures: 20,
  emailSlowAfter: 5,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
  firstDelayMs: 1_000,
  maxDelayMs: 10_000,
} as const;

export const emailKey = (email: string) => `email:${email}`;
export const addressKey = (ip: string) => `ip:${ip}`;
/** An email holds no "|" (its schema allows none), so the prefix of one email's pairs is never another's. */
export const pairKey = (email: string, ip: string) => `${pairPrefix(email)}${ip}`;
const pairPrefix = (email: string) => `pair:${email}|`;

const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/** Is any of the keys locked now? Checked before the password is hashed. */
export async function isLocked(db: Executor, keys: string[], now: Date): Promise<boolean> {
  const rows = await db
    .select({ key: signInThrottle.key })
    .from(signInThrottle)
    .where(and(inArray(signInThrottle.key, keys), gt(signInThrottle.lockedUntil, now)))
    .limit(1);
  return rows.length > 0;
}

/**
 * Counts one failure for the key and returns the count in the current window. `lockAt` failures
 * lock the key for THROTTLE.lockMs (null: counted, never locked).
 */
export async function recordFailure(db: Executor, key: string, lockAt: number | null, now: Date): Promise<number> {
  const windowStart = new Date(now.getTime() - THROTTLE.windowMs);
  const lockUntil = new Date(now.getTime() + THROTTLE.lockMs);
  // A window that has run out starts again at this failure.
  const expired = sql`${signInThrottle.windowStartedAt} <= ${at(windowStart)}`;
  const failures = sql`case when ${expired} then 1 else ${signInThrottle.failures} + 1 end`;
  const locks = lockAt === null ? sql`false` : sql`${failures} >= ${lockAt}::int`;
  const [row] = await db
    .insert(signInThrottle)
    .values({ key, failures: 1, windowStartedAt: now, lockedUntil: lockAt !== null && lockAt <= 1 ? lockUntil : null })
    .onConflictDoUpdate({
      target: signInThrottle.key,
      set: {
        failures,
        windowStartedAt: sql`case when ${expired} then ${at(now)} else ${signInThrottle.windowStartedAt} end`,
        lockedUntil: sql`case when ${locks} then ${at(lockUntil)} else null end`,
      },
    })
    .returning({ failures: signInThrottle.failures });
  return row.failures;
}

/** The wait before an attempt on an email with this many failures in the window. */
export function delayAfter(failures: number): number {
  if (failures < THROTTLE.emailSlowAfter) return 0;
  return Math.min(THROTTLE.maxDelayMs, THROTTLE.firstDelayMs * 2 ** (failures - THROTTLE.emailSlowAfter));
}

/** The email's failures in the current window (0 when it has run out). */
export async function emailFailures(db: Executor, email: string, now: Date): Promise<number> {
  const [row] = await db
    .select({ failures: signInThrottle.failures })
    .from(signInThrottle)
    .where(and(eq(signInThrottle.key, emailKey(email)), gt(signInThrottle.windowStartedAt, new Date(now.getTime() - THROTTLE.windowMs))));
  return row?.failures ?? 0;
}

/** A success clears the email's count and this address's pair, not the address's own count. */
export async function clearAfterSuccess(db: Executor, email: string, ip: string) {
  await db.delete(signInThrottle).where(inArray(signInThrottle.key, [emailKey(email), pairKey(email, ip)]));
}

const ofEmail = (email: string) => or(eq(signInThrottle.key, emailKey(email)), sql`starts_with(${signInThrottle.key}, ${pairPrefix(email)})`);

/** An administrator's unlock or password reset: the email's count and every pair of it, from every address. */
export async function clearEmail(db: Executor, email: string): Promise<number> {
  const rows = await db.delete(signInThrottle).where(ofEmail(email)).returning({ key: signInThrottle.key });
  return rows.length;
}

/** What the account page shows: failures in the window, the wait they cause, addresses locked out. */
export async function emailThrottleState(db: Executor, email: string, now: Date) {
  const rows = await db.select().from(signInThrottle).where(ofEmail(email));
  const windowStart = now.getTime() - THROTTLE.windowMs;
  const own = rows.find((r) => r.key === emailKey(email));
  const failures = own && own.windowStartedAt.getTime() > windowStart ? own.failures : 0;
  const locked = rows.filter((r) => r.key !== emailKey(email) && r.lockedUntil && r.lockedUntil > now);
  const lockedUntil = locked.reduce<Date | null>((latest, r) => (!latest || r.lockedUntil! > latest ? r.lockedUntil : latest), null);
  return { failures, delayMs: delayAfter(failures), lockedAddresses: locked.length, lockedUntil, active: failures > 0 || locked.length > 0 };
}
export type EmailThrottleState = Awaited<ReturnType<typeof emailThrottleState>>;
