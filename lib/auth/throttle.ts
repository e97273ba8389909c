import "server-only";
import { and, gt, inArray, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { signInThrottle } from "@/db/schema";

/**
 * Sign-in throttling (SPEC.md): 5 failures for one email, or 20 from one client address, within
 * 15 minutes lock that key for 15 minutes. Counted in the database, so it holds across restarts
 * and app servers; one atomic upsert per key, so concurrent attempts cannot undercount.
 */
export const THROTTLE = { emailFailures: 5, addressFailures: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000 } as const;

export const emailKey = (email: string) => `email:${email.trim().toLowerCase()}`;
export const addressKey = (ip: string) => `ip:${ip}`;

/** Is any of the keys locked now? Checked before the password is hashed. */
export async function isLocked(db: Executor, keys: string[], now: Date): Promise<boolean> {
  const rows = await db
    .select({ key: signInThrottle.key })
    .from(signInThrottle)
    .where(and(inArray(signInThrottle.key, keys), gt(signInThrottle.lockedUntil, now)))
    .limit(1);
  return rows.length > 0;
}

/** Counts one failure for the key; true when this failure locks it. */
export async function recordFailure(db: Executor, key: string, limit: number, now: Date): Promise<boolean> {
  const windowStart = new Date(now.getTime() - THROTTLE.windowMs);
  const lockUntil = new Date(now.getTime() + THROTTLE.lockMs);
  // A window that has run out starts again at this failure.
  const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;
  const expired = sql`${signInThrottle.windowStartedAt} <= ${at(windowStart)}`;
  const failures = sql`case when ${expired} then 1 else ${signInThrottle.failures} + 1 end`;
  const [row] = await db
    .insert(signInThrottle)
    .values({ key, failures: 1, windowStartedAt: now, lockedUntil: limit <= 1 ? lockUntil : null })
    .onConflictDoUpdate({
      target: signInThrottle.key,
      set: {
        failures,
        windowStartedAt: sql`case when ${expired} then ${at(now)} else ${signInThrottle.windowStartedAt} end`,
        lockedUntil: sql`case when ${failures} >= ${limit}::int then ${at(lockUntil)} else null end`,
      },
    })
    .returning({ failures: signInThrottle.failures, lockedUntil: signInThrottle.lockedUntil });
  return row.failures >= limit && row.lockedUntil !== null;
}

/** A successful sign-in clears the email's counter (not the address's). */
export async function clearFailures(db: Executor, key: string) {
  await db.delete(signInThrottle).where(inArray(signInThrottle.key, [key]));
}
