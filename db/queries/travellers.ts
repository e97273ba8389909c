import "server-only";
import { type SQL, and, asc, desc, eq, inArray, like } from "drizzle-orm";
import type { Executor } from "../client";
import { accounts, attachments, inspections, orders, stores } from "../schema";
import { type OrderListQuery, listConditions, sortOf } from "./orders";
import type { Actor } from "@/lib/workflow";

/** The most travellers one print asks for: a batch past it is cut, and the page says so. */
export const TRAVELLER_BATCH = 100;

/**
 * What the printed traveller of each order shows: the order and its store, its latest inspection
 * and its image attachments (printed as thumbnails). Three statements for any number of orders,
 * in the order the ids were given.
 */
export async function travellers(db: Executor, ids: number[]) {
  if (ids.length === 0) return [];
  const [rows, latest, images] = await Promise.all([
    db.select({ order: orders, storeName: stores.name, storeTimeZone: stores.timeZone }).from(orders).innerJoin(stores, eq(stores.id, orders.storeId)).where(inArray(orders.id, ids)),
    db
      .selectDistinctOn([inspections.orderId], { orderId: inspections.orderId, result: inspections.result, notes: inspections.notes, createdAt: inspections.createdAt, inspectorName: accounts.name })
      .from(inspections)
      .leftJoin(accounts, eq(accounts.id, inspections.inspectorId))
      .where(inArray(inspections.orderId, ids))
      .orderBy(inspections.orderId, desc(inspections.createdAt), desc(inspections.id)),
    db
      .select({ id: attachments.id, orderId: attachments.orderId, filename: attachments.filename })
      .from(attachments)
      .where(and(inArray(attachments.orderId, ids), like(attachments.contentType, "image/%")))
      .orderBy(asc(attachments.id)),
  ]);
  const byId = new Map(rows.map((r) => [r.order.id, r]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    return [{ ...row, latestInspection: latest.find((i) => i.orderId === id) ?? null, images: images.filter((a) => a.orderId === id) }];
  });
}
export type Traveller = Awaited<ReturnType<typeof travellers>>[number];

/** The ids of the orders a list's filters show (scope included), in the list's order, at most `limit`. */
export async function filteredOrderIds(db: Executor, actor: Actor, query: OrderListQuery, now: Date, limit: number) {
  const { key, desc: descending } = sortOf(query);
  const dir = (col: SQL | typeof orders.id) => (descending ? desc(col) : asc(col));
  const rows = await db
    .select({ id: orders.id })
    .from(orders)
    .where(listConditions(actor, query, now))
    .orderBy(...(key ? [dir(key), dir(orders.id)] : [dir(orders.id)]))
    .limit(limit);
  return rows.map((r) => r.id);
}
