import "server-only";
import { type SQL, eq, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { Executor } from "../client";
import { accounts, storeMembers } from "../schema";

/** An account's stores, for a query over accounts left-joined to store_members and grouped by account. */
export const accountStoreIds = sql<number[]>`coalesce(array_agg(${storeMembers.storeId}) filter (where ${storeMembers.storeId} is not null), '{}')`;

type Columns = Record<string, PgColumn>;
type Row<C extends Columns> = { [K in keyof C]: C[K]["_"]["notNull"] extends true ? C[K]["_"]["data"] : C[K]["_"]["data"] | null };

/**
 * Accounts with their stores: the one select behind the session's actor, the rule recipients,
 * the people a comment may mention and the account pages. `columns` are the account's columns
 * to read; `storeIds` comes with each row, as numbers in ascending order.
 */
export async function accountsWithStores<C extends Columns>(
  db: Executor,
  columns: C,
  { where, orderBy = [], limit, offset }: { where?: SQL; orderBy?: SQL[]; limit?: number; offset?: number } = {},
): Promise<(Row<C> & { storeIds: number[] })[]> {
  let query = db
    .select({ ...columns, storeIds: accountStoreIds })
    .from(accounts)
    .leftJoin(storeMembers, eq(storeMembers.accountId, accounts.id))
    .where(where)
    .groupBy(accounts.id)
    .$dynamic();
  if (orderBy.length) query = query.orderBy(...orderBy);
  if (limit !== undefined) query = query.limit(limit);
  if (offset) query = query.offset(offset);
  const rows = (await query) as unknown as (Row<C> & { storeIds: unknown[] })[];
  return rows.map((r) => ({ ...r, storeIds: r.storeIds.map(Number).sort((a, b) => a - b) }));
}
