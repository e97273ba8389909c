import { afterAll, beforeAll, expect, test } from "vitest";
import { sql } from "drizzle-orm";
import { type Connection, rowsOf } from "@/db/client";
import { FIRINGS_COUNTED_UP_TO, FIRING_PAGE_SIZE, listFirings } from "@/db/queries/automation";
import { testDatabase } from "./database";
import { orderIn, seedActors } from "./fixtures";

/**
 * The rules page's firing log after a pass that fired more than it counts: "more than 1,000", and
 * every page still reachable, newest first with the id breaking ties (a pass fires many at once).
 */

let conn: Connection;
beforeAll(async () => {
  conn = await testDatabase();
  await seedActors(conn.db);
});
afterAll(() => conn?.close());

test("past 1,000 firings the log says 'more than', and its pages follow (fired_at, id) newest first", async () => {
  const order = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving" });
  const extra = FIRINGS_COUNTED_UP_TO + 30;
  await conn.db.execute(sql`
    insert into rule_firings (rule_id, order_id, occasion, fired_at)
    select (select min(id) from automation_rules), ${order.id}, 'bench:' || i, '2026-01-01T00:00:00Z'::timestamptz + interval '1 hour' * (i / 100)
    from generate_series(1, ${extra}::int) i`);
  const first = await listFirings(conn.db, { page: 1 });
  expect(first).toMatchObject({ total: FIRINGS_COUNTED_UP_TO, more: true });
  expect(first.rows).toHaveLength(FIRING_PAGE_SIZE);
  const last = Math.ceil((extra + 10) / FIRING_PAGE_SIZE);
  const seen: number[] = [];
  for (let page = 1; page <= last; page++) seen.push(...(await listFirings(conn.db, { page })).rows.map((r) => r.id));
  const all = await conn.db.execute(sql`select id from rule_firings order by fired_at desc, id desc`);
  expect(seen).toEqual(rowsOf<{ id: number }>(all).map((r) => Number(r.id)));
});
