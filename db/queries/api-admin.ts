import "server-only";
import { and, desc, eq, lt, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor } from "../client";
import { accounts, apiIdempotency, apiKeys, stores, webhookDeliveries, webhookEndpoints } from "../schema";

/** Reads of the API keys and webhooks pages (/admin/api-keys, /admin/webhooks). */

const creator = alias(accounts, "creator");

/** Every key, newest first, with the account it acts as and who made it. Never the secret (only its hash is stored). */
export function listApiKeys(db: Executor) {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      createdAt: apiKeys.createdAt,
      expiresAt: apiKeys.expiresAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
      accountId: apiKeys.accountId,
      accountName: accounts.name,
      accountEmail: accounts.email,
      accountActive: accounts.active,
      creatorName: creator.name,
    })
    .from(apiKeys)
    .innerJoin(accounts, eq(accounts.id, apiKeys.accountId))
    .leftJoin(creator, eq(creator.id, apiKeys.createdBy))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
}
export type ApiKeyRow = Awaited<ReturnType<typeof listApiKeys>>[number];

/** Accounts a key can be made for: the active ones. */
export function keyAccounts(db: Executor) {
  return db.select({ id: accounts.id, name: accounts.name, email: accounts.email, roles: accounts.roles }).from(accounts).where(eq(accounts.active, true)).orderBy(accounts.name);
}

/** Every endpoint with its store and the last day's counts of its deliveries. */
export function listWebhookEndpoints(db: Executor) {
  return db
    .select({
      endpoint: webhookEndpoints,
      storeName: stores.name,
      pending: sql<number>`(select count(*)::int from ${webhookDeliveries} d where d.endpoint_id = ${webhookEndpoints.id} and d.status = 'pending')`,
      failed: sql<number>`(select count(*)::int from ${webhookDeliveries} d where d.endpoint_id = ${webhookEndpoints.id} and d.status = 'failed')`,
    })
    .from(webhookEndpoints)
    .leftJoin(stores, eq(stores.id, webhookEndpoints.storeId))
    .orderBy(webhookEndpoints.id);
}

export async function webhookEndpoint(db: Executor, id: number) {
  const [row] = await db.select({ endpoint: webhookEndpoints, storeName: stores.name }).from(webhookEndpoints).leftJoin(stores, eq(stores.id, webhookEndpoints.storeId)).where(eq(webhookEndpoints.id, id));
  return row ?? null;
}

export const DELIVERY_PAGE = 50;

/** The endpoint page's query, as lib/webhooks/filters.ts parses it: a status filter and a keyset cursor (created, id) into the log. */
export type DeliveryLogQuery = { status?: "pending" | "delivered" | "failed"; before?: string };

/** A page of an endpoint's deliveries, newest first, by keyset on (created_at, id): webhook_deliveries_endpoint_idx. */
export async function listDeliveries(db: Executor, endpointId: number, query: DeliveryLogQuery) {
  let seek;
  if (query.before) {
    const [micros, id] = query.before.split(".");
    // A row comparison, so the seek is one range on webhook_deliveries_endpoint_idx's (endpoint, created) and the
    // id; the time in microseconds, as stored, so no row of the same millisecond is skipped.
    seek = sql`(${webhookDeliveries.createdAt}, ${webhookDeliveries.id}) < ('epoch'::timestamptz + interval '1 microsecond' * ${Number(micros)}::float8, ${id}::uuid)`;
  }
  const rows = await db
    .select({
      id: webhookDeliveries.id,
      eventType: webhookDeliveries.eventType,
      orderId: webhookDeliveries.orderId,
      createdAt: webhookDeliveries.createdAt,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      nextAttemptAt: webhookDeliveries.nextAttemptAt,
      lastAttemptAt: webhookDeliveries.lastAttemptAt,
      responseStatus: webhookDeliveries.responseStatus,
      responseBody: sql<string | null>`left(${webhookDeliveries.responseBody}, 200)`,
      lastError: webhookDeliveries.lastError,
      deliveredAt: webhookDeliveries.deliveredAt,
      cursorKey: sql<string>`(extract(epoch from ${webhookDeliveries.createdAt}) * 1000000)::bigint::text`,
    })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.endpointId, endpointId), query.status ? eq(webhookDeliveries.status, query.status) : undefined, seek))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(DELIVERY_PAGE + 1);
  const more = rows.length > DELIVERY_PAGE;
  const page = rows.slice(0, DELIVERY_PAGE);
  const last = page[page.length - 1];
  return { rows: page, next: more && last ? `${last.cursorKey}.${last.id}` : null };
}
export type DeliveryRow = Awaited<ReturnType<typeof listDeliveries>>["rows"][number];

/** Idempotency keys are kept a day (as payment APIs keep theirs); the automation pass forgets older ones. */
export const IDEMPOTENCY_KEPT_MS = 24 * 60 * 60_000;
export async function pruneIdempotencyKeys(db: Executor, now: Date) {
  await db.delete(apiIdempotency).where(lt(apiIdempotency.createdAt, new Date(now.getTime() - IDEMPOTENCY_KEPT_MS)));
}
