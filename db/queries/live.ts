import "server-only";
import { and, eq, gt, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { rowsOf } from "../client";
import { accounts, orderHistory } from "../schema";

/**
 * Where a polling live page stands (decision 026): the newest order event and comment in the
 * shop, and the account's newest alert and unread count: primary-key look-ups and the account's
 * inbox index, whatever the number of orders. A different marker on the next poll
 * means "look again"; the page's own query decides what it may show.
 */
export async function liveMarker(db: Executor, accountId: number): Promise<{ orders: string; inbox: string }> {
  const [row] = rowsOf<{ h: string | number; c: string | number; n: string | number; u: string | number }>(
    await db.execute(sql`select
      (select coalesce(max(id), 0) from order_history) as h,
      (select coalesce(max(id), 0) from order_comments) as c,
      (select coalesce(extract(epoch from max(created_at)) * 1000, 0)::bigint from notifications where account_id = ${accountId}) as n,
      (select count(*) from (select 1 from notifications where account_id = ${accountId} and read_at is null limit 100) u) as u`),
  );
  return { orders: `${row.h}.${row.c}`, inbox: `${row.n}.${row.u}` };
}

/** An order's history after `version`, with who did it: what a colleague changed while the page was open. */
export function orderEventsSince(db: Executor, orderId: number, version: number) {
  return db
    .select({ who: accounts.name, kind: orderHistory.kind, subject: orderHistory.subject, before: orderHistory.before, after: orderHistory.after, note: orderHistory.note })
    .from(orderHistory)
    .leftJoin(accounts, eq(accounts.id, orderHistory.actorId))
    .where(and(eq(orderHistory.orderId, orderId), gt(orderHistory.version, version)))
    .orderBy(orderHistory.id)
    .limit(50);
}
