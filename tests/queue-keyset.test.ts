import { afterAll, beforeAll, expect, test } from "vitest";
import { type SQL, sql } from "drizzle-orm";
import { type Connection, rowsOf } from "@/db/client";
import { EXACT_COUNT_UP_TO, PAGE_SIZE, listOrders } from "@/db/queries/orders";
import { orderListSchema, parseOrderList } from "@/lib/orders/filters";
import { demoActor, seedDemo } from "@/lib/demo/seed";
import type { Actor } from "@/lib/workflow";
import { testDatabase } from "./database";

/**
 * Keyset pages of the order list on 1,200 history orders plus the demo's live ones: walking
 * forward and back gives every order once, in the sort order, the same as OFFSET would; a
 * cursor past the end says so; the count is exact (from the order counters, or up to
 * EXACT_COUNT_UP_TO and then "more than").
 */

let conn: Connection;
let ops: Actor;
let south: Actor;
beforeAll(async () => {
  conn = await testDatabase();
  await seedDemo(conn.db, { historyOrders: 1200 });
  ops = await demoActor(conn.db, "ops@example.com");
  south = await demoActor(conn.db, "store.south@example.com");
});
afterAll(() => conn.close());

const ids = async (query: SQL) => rowsOf<{ id: number }>(await conn.db.execute(query)).map((r) => Number(r.id));

async function walk(actor: Actor, query: Record<string, string>) {
  const forward: number[][] = [];
  let page = await listOrders(conn.db, actor, orderListSchema.parse(query));
  forward.push(page.rows.map((r) => r.id));
  while (page.next) {
    page = await listOrders(conn.db, actor, orderListSchema.parse({ ...query, after: page.next }));
    forward.push(page.rows.map((r) => r.id));
  }
  const backward: number[][] = [forward[forward.length - 1]];
  while (page.previous) {
    page = await listOrders(conn.db, actor, orderListSchema.parse({ ...query, before: page.previous }));
    backward.unshift(page.rows.map((r) => r.id));
  }
  return { forward, backward };
}

test.each([
  ["all, due soonest", { view: "all", state: "any", sort: "due" }, sql`select id from orders order by stage_due_at, id`],
  ["all, due latest", { view: "all", state: "any", sort: "-due" }, sql`select id from orders order by stage_due_at desc, id desc`],
  ["all, newest", { view: "all", state: "any", sort: "new" }, sql`select id from orders order by id desc`],
  ["completed, due soonest", { view: "all", state: "completed", sort: "due" }, sql`select id from orders where state = 'completed' order by stage_due_at, id`],
])("%s: forward and back, every order once, in order", async (_label, query, expected) => {
  const { forward, backward } = await walk(ops, query);
  const all = await ids(expected);
  expect(forward.flat()).toEqual(all);
  expect(backward).toEqual(forward);
  expect(forward.slice(0, -1).every((p) => p.length === PAGE_SIZE)).toBe(true);
});

test("a store manager's pages hold only their store's orders", async () => {
  const { forward } = await walk(south, { view: "all", state: "any", sort: "-due" });
  expect(forward.flat()).toEqual(await ids(sql`select id from orders where store_id in (${sql.join(south.storeIds.map((i) => sql`${i}`), sql`, `)}) order by stage_due_at desc, id desc`));
});

test("a cursor past the last order says so, and there is no next page", async () => {
  const [last] = await ids(sql`select id from orders order by id limit 1`);
  const page = await listOrders(conn.db, ops, orderListSchema.parse({ view: "all", sort: "new", after: String(last) }));
  expect(page).toMatchObject({ rows: [], pastTheEnd: true, next: null });
  const first = await listOrders(conn.db, ops, orderListSchema.parse({ view: "all" }));
  expect(first).toMatchObject({ pastTheEnd: false, previous: null });
});

test("the count: exact from the order counters for stages, states and stores; exact up to the threshold and 'more than' past it otherwise", async () => {
  const [{ n }] = rowsOf<{ n: number }>(await conn.db.execute(sql`select count(*)::int as n from orders`));
  expect(n).toBeGreaterThan(EXACT_COUNT_UP_TO);
  expect(await listOrders(conn.db, ops, orderListSchema.parse({ view: "all", state: "any" }))).toMatchObject({ total: n, more: false });
  const open = await listOrders(conn.db, ops, orderListSchema.parse({ view: "queue" }));
  const [{ m }] = rowsOf<{ m: number }>(await conn.db.execute(sql`select count(*)::int as m from orders where state in ('active', 'onHold')`));
  expect(open).toMatchObject({ more: false, total: m });
  // A search the counters cannot count: almost every product has an "e".
  const [{ s }] = rowsOf<{ s: number }>(await conn.db.execute(sql`select count(*)::int as s from orders where fields->>'productSpecifications' ilike '%e%'`));
  expect(s).toBeGreaterThan(EXACT_COUNT_UP_TO);
  expect(await listOrders(conn.db, ops, orderListSchema.parse({ view: "all", state: "any", q: "e" }))).toMatchObject({ total: EXACT_COUNT_UP_TO, more: true });
  const [{ few }] = rowsOf<{ few: number }>(await conn.db.execute(sql`select count(*)::int as few from orders where fields->>'productSpecifications' ilike '%walnut%'`));
  expect(few).toBeLessThanOrEqual(EXACT_COUNT_UP_TO);
  expect(await listOrders(conn.db, ops, orderListSchema.parse({ view: "all", state: "any", q: "walnut" }))).toMatchObject({ total: few, more: false });
});

test("a cursor that is not one is ignored: the first page", async () => {
  const query = orderListSchema.parse({ view: "all", after: "x'; drop table orders; --" });
  expect(query.after).toBeUndefined();
});

test("a hand-edited cursor past int4 or past the stored years is no cursor, never a database error", async () => {
  const first = await listOrders(conn.db, ops, parseOrderList({ view: "all", sort: "due" }));
  for (const sort of ["due", "new"]) {
    for (const cursor of ["2147483648", "99999999999999999", "1.2147483648", "99999999999999999.1", "-99999999999999999.1", "0", "32503680000000000.1"]) {
      for (const side of ["after", "before"]) {
        const query = parseOrderList({ view: "all", sort, [side]: cursor });
        expect(query[side as "after" | "before"], `${side}=${cursor}`).toBeUndefined();
        const page = await listOrders(conn.db, ops, query);
        if (sort === "due") expect(page.rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
      }
    }
  }
  // The largest real cursor still pages.
  expect(parseOrderList({ view: "all", sort: "new", after: "2147483647" }).after).toBe("2147483647");
});
