import "server-only";
import { createHash } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { apiIdempotency } from "@/db/schema";
import { canonicalJson } from "@/lib/orders/kernel";

/**
 * `Idempotency-Key` for creates (decision 019). The first request with a key claims it with a
 * hash of its body (one insert; concurrent retries meet the unique key). A retry with the same
 * body gets the first answer again; with another body, a 409. The order itself is made once by
 * the create command's own submission token, derived from the API key and this header, so ten
 * retries at once still make one order. A refused create gives the key back, so a corrected
 * request may use it.
 */

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
export const validIdempotencyKey = (key: string) => KEY_PATTERN.test(key);

export const requestHash = (body: unknown) => createHash("sha256").update(canonicalJson(body)).digest("hex");

/**
 * The create's submission token for this API key, header and claim: a UUID (version 8) made from
 * the three, so every retry of one claim makes the same order, and the same header after the
 * claim was forgotten (a day later) a new one.
 */
export function submissionTokenOf(apiKeyId: number, idempotencyKey: string, claimedAt: Date): string {
  const h = createHash("sha256").update(`${apiKeyId}\u0000${idempotencyKey}\u0000${claimedAt.getTime()}`).digest();
  h[6] = (h[6] & 0x0f) | 0x80;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export type Claim =
  | { kind: "first"; claimedAt: Date }
  | { kind: "replay"; status: number; body: unknown }
  | { kind: "inFlight"; claimedAt: Date }
  | { kind: "mismatch" };

export async function claimIdempotencyKey(db: Executor, keyId: number, idempotencyKey: string, hash: string, now: Date, tries = 3): Promise<Claim> {
  const inserted = await db.insert(apiIdempotency).values({ keyId, idempotencyKey, requestHash: hash, createdAt: now }).onConflictDoNothing().returning({ keyId: apiIdempotency.keyId });
  if (inserted.length) return { kind: "first", claimedAt: now };
  const [row] = await db.select().from(apiIdempotency).where(and(eq(apiIdempotency.keyId, keyId), eq(apiIdempotency.idempotencyKey, idempotencyKey)));
  // Released in between (the first was refused): this one goes ahead as if first.
  if (!row) return tries > 1 ? claimIdempotencyKey(db, keyId, idempotencyKey, hash, now, tries - 1) : { kind: "mismatch" };
  if (row.requestHash !== hash) return { kind: "mismatch" };
  if (row.responseStatus !== null) return { kind: "replay", status: row.responseStatus, body: row.responseBody };
  return { kind: "inFlight", claimedAt: row.createdAt };
}

/** The first answer, kept for every retry. */
export async function storeIdempotentAnswer(db: Executor, keyId: number, idempotencyKey: string, orderId: number, status: number, body: unknown) {
  await db
    .update(apiIdempotency)
    .set({ orderId, responseStatus: status, responseBody: body })
    .where(and(eq(apiIdempotency.keyId, keyId), eq(apiIdempotency.idempotencyKey, idempotencyKey), isNull(apiIdempotency.responseStatus)));
}

/** A refused create gives its key back. */
export async function releaseIdempotencyKey(db: Executor, keyId: number, idempotencyKey: string) {
  await db
    .delete(apiIdempotency)
    .where(and(eq(apiIdempotency.keyId, keyId), eq(apiIdempotency.idempotencyKey, idempotencyKey), isNull(apiIdempotency.responseStatus), isNull(apiIdempotency.orderId)));
}

