import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { type Order, orderCounts, orders } from "@/db/schema";

/**
 * The order counters (db/schema.ts, order_counts): how many orders are in each store, stage and
 * state. The commands keep them in the transaction of each change, as they keep the KPI rollups:
 * the kernel when an order moves (lib/orders/kernel.ts), createOrder when one is made. The exact
 * count over the orders (`exactOrderCounts`) is what the tests hold them to, and what a rebuild
 * writes (`npm run kpi:rebuild`, the seeds).
 */

export type CountKey = Pick<Order, "storeId" | "stage" | "state">;

const sameKey = (a: CountKey, b: CountKey) => a.storeId === b.storeId && a.stage === b.stage && a.state === b.state;

/**
 * An order left one (store, stage, state) for another, or was made (`from` null). Call last in the
 * command's transaction: the rows are written in key order, so two commands that move orders
 * between the same counters lock them in the same order and never wait on each other in a circle.
 */
export async function moveOrderCount(tx: Executor, from: CountKey | null, to: CountKey) {
  if (from && sameKey(from, to)) return;
  const rows = [...(from ? [{ ...from, n: -1 }] : []), { ...to, n: 1 }].sort(
    (a, b) => a.storeId - b.storeId || a.stage.localeCompare(b.stage) || a.state.localeCompare(b.state),
  );
  await tx
    .insert(orderCounts)
    .values(rows.map((r) => ({ storeId: r.storeId, stage: r.stage, state: r.state, n: r.n })))
    .onConflictDoUpdate({ target: [orderCounts.storeId, orderCounts.stage, orderCounts.state], set: { n: sql`${orderCounts.n} + excluded.n` } });
}

/** The counters as they should be: every order counted. */
export const exactOrderCounts = sql`select ${orders.storeId} as store_id, ${orders.stage} as stage, ${orders.state} as state, count(*)::int as n from ${orders} group by 1, 2, 3`;

/** Recomputes the counters from the orders (after a bulk load, or to repair them). */
export async function rebuildOrderCounts(db: Executor) {
  await db.execute(sql`delete from ${orderCounts} where true`);
  await db.execute(sql`insert into ${orderCounts} (store_id, stage, state, n) ${exactOrderCounts}`);
}
