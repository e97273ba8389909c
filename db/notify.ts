import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "./client";

/**
 * Tells live pages that something changed (decision 026; lib/live reads it), inside the
 * transaction that changes it: PostgreSQL delivers a NOTIFY only when the transaction commits,
 * and never when it rolls back, so a page never refetches before the change is visible nor for
 * one that was undone. Identical payloads in one transaction are delivered once. A payload names
 * an order and its store, or an account whose inbox changed: never what changed.
 */

export const LIVE_CHANNEL = "makeline_live";

export const orderPayload = (order: { id: number; storeId: number }) => `o:${order.id}:${order.storeId}`;
export const inboxPayload = (accountId: number) => `a:${accountId}`;
/** Every page should look again: changes may have been missed (a listen that came back). */
export const allPayload = "*";

export async function notifyOrderChanged(tx: Executor, order: { id: number; storeId: number }) {
  await tx.execute(sql`select pg_notify(${LIVE_CHANNEL}, ${orderPayload(order)})`);
}

/** The inboxes (alerts, unread counts) of these accounts changed. */
export async function notifyInboxes(tx: Executor, accountIds: readonly number[]) {
  const ids = [...new Set(accountIds)];
  if (!ids.length) return;
  const rows = sql.join(ids.map((id) => sql`(${inboxPayload(id)})`), sql`, `);
  await tx.execute(sql`select pg_notify(${LIVE_CHANNEL}, v.p) from (values ${rows}) as v(p)`);
}
