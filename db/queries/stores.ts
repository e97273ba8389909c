import "server-only";
import { and, asc, inArray, isNull, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { orderCounts, stores } from "../schema";

/**
 * Every store, open ones first, with how many orders it has (from the order counters, kept by the
 * commands: never a count of the orders): the stores page and name lookups.
 */
export async function listAllStores(db: Executor) {
  return db
    .select({
      id: stores.id,
      code: stores.code,
      name: stores.name,
      timeZone: stores.timeZone,
      archivedAt: stores.archivedAt,
      archived: sql<boolean>`${stores.archivedAt} is not null`,
      orderCount: sql<number>`(select coalesce(sum(${orderCounts.n}), 0)::int from ${orderCounts} where ${orderCounts.storeId} = ${stores.id})`.mapWith(Number),
    })
    .from(stores)
    .orderBy(sql`${stores.archivedAt} is not null`, asc(stores.name), asc(stores.id));
}
export type StoreRow = Awaited<ReturnType<typeof listAllStores>>[number];

/** Stores that take new orders (not archived), optionally only among `ids`. */
export async function listOpenStores(db: Executor, ids?: readonly number[]) {
  if (ids && ids.length === 0) return [];
  return db
    .select({ id: stores.id, code: stores.code, name: stores.name, timeZone: stores.timeZone })
    .from(stores)
    .where(and(isNull(stores.archivedAt), ids ? inArray(stores.id, [...ids]) : undefined))
    .orderBy(asc(stores.name), asc(stores.id));
}
