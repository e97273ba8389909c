import "server-only";
import { createHmac, randomBytes } from "node:crypto";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import { type Db, type Executor, rowsOf } from "@/db/client";
import { apiKeys } from "@/db/schema";
import type { ApiKey } from "@/db/schema";
import { loadActor } from "@/lib/auth/actor";
import { authSecret } from "@/lib/env";
import type { Actor } from "@/lib/workflow";

/**
 * API keys (decision 019). A key is `ml_live_` and 32 random bytes (base64url); only an HMAC-SHA256
 * of it, keyed with a key derived from AUTH_SECRET, is stored. A slow password hash is for secrets
 * a person chose, which can be guessed; 256 random bits cannot, so a fast hash loses nothing and
 * keeps every request cheap, and it lets the key be looked up by its hash (a unique index) with no
 * comparison to time. The derived key means the database alone (a leaked backup) is not enough to
 * test a candidate key.
 */

export const KEY_PREFIX = "ml_live_";
const KEY_PATTERN = /^ml_live_[A-Za-z0-9_-]{43}$/;
/** How much of a key is kept in the clear, to recognise it in the list. */
const SHOWN = KEY_PREFIX.length + 6;

let hashKey: Buffer | undefined;
const keyForHashing = () => (hashKey ??= createHmac("sha256", authSecret()).update("makeline api keys v1").digest());

export const hashApiKey = (secret: string) => createHmac("sha256", keyForHashing()).update(secret).digest("hex");

/** A new key: the secret to show once, and what is stored of it. */
export function generateApiKey() {
  const secret = `${KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { secret, prefix: secret.slice(0, SHOWN), secretHash: hashApiKey(secret) };
}

export type KeyAuth = { ok: true; key: ApiKey; actor: Actor } | { ok: false; reason: "missing" | "invalid" | "expired" | "revoked" | "inactive" };

/** The bearer token of an Authorization header, or null. */
export function bearerToken(header: string | null): string | null {
  const m = header ? /^Bearer ([^\s]+)$/.exec(header) : null;
  return m ? m[1] : null;
}

/** Last use is written at most once a minute per key: a read-heavy client does not make every request a write. */
const LAST_USED_EVERY_MS = 60_000;

/**
 * The key and the account it acts as, read fresh: a revoked or expired key, or a deactivated
 * account, is no key, from the next request on.
 */
export async function authenticateApiKey(db: Db | Executor, authorization: string | null, now: Date): Promise<KeyAuth> {
  const token = bearerToken(authorization);
  if (!token) return { ok: false, reason: "missing" };
  if (!KEY_PATTERN.test(token)) return { ok: false, reason: "invalid" };
  const [key] = await db.select().from(apiKeys).where(eq(apiKeys.secretHash, hashApiKey(token)));
  if (!key) return { ok: false, reason: "invalid" };
  if (key.revokedAt) return { ok: false, reason: "revoked" };
  if (key.expiresAt && key.expiresAt <= now) return { ok: false, reason: "expired" };
  const actor = await loadActor(db, key.accountId);
  if (!actor) return { ok: false, reason: "inactive" };
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > LAST_USED_EVERY_MS) {
    await db
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(and(eq(apiKeys.id, key.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, new Date(now.getTime() - LAST_USED_EVERY_MS)))));
  }
  return { ok: true, key, actor };
}

export type RateLimit = { limit: number; remaining: number; resetSeconds: number; allowed: boolean };

export const RATE_WINDOW_MS = 60_000;

/**
 * One request counted against the key's limit in the current fixed window (a minute): a single
 * upsert, atomic on every server, so concurrent requests cannot both take the last place.
 */
export async function countRequest(db: Db | Executor, keyId: number, limit: number, now: Date): Promise<RateLimit> {
  const windowStart = new Date(Math.floor(now.getTime() / RATE_WINDOW_MS) * RATE_WINDOW_MS);
  const iso = windowStart.toISOString();
  const [row] = rowsOf<{ count: number }>(await db.execute(sql`
    insert into api_rate_limits (key_id, window_started_at, count) values (${keyId}, ${iso}::timestamptz, 1)
    on conflict (key_id) do update set
      count = case when api_rate_limits.window_started_at = excluded.window_started_at then api_rate_limits.count + 1 else 1 end,
      window_started_at = excluded.window_started_at
    returning count`));
  const count = Number(row.count);
  const resetSeconds = Math.max(1, Math.ceil((windowStart.getTime() + RATE_WINDOW_MS - now.getTime()) / 1000));
  return { limit, remaining: Math.max(0, limit - count), resetSeconds, allowed: count <= limit };
}
