import { afterAll, beforeAll, expect, test } from "vitest";
import { sql } from "drizzle-orm";
import { type Connection, rowsOf } from "@/db/client";
import { listRules } from "@/db/queries/automation";
import { INBOX_COUNTED_UP_TO, INBOX_PAGE_SIZE, listInbox } from "@/db/queries/notifications";
import { mayNotify } from "@/lib/automation/evaluator";
import { testDatabase } from "./database";
import { type Actors, orderIn, seedActors } from "./fixtures";

/**
 * A full inbox: unread first, newest first within each, page by page as the exact order says;
 * counted to 1,000 and "more than" past it; a store manager never sees another store's alerts;
 * the rule filter offers the rules that may alert the account.
 */

let conn: Connection;
let actors: Actors;
const nora = () => actors["store.north@example.com"];
const dana = () => actors["dispatch@example.com"];

beforeAll(async () => {
  conn = await testDatabase();
  actors = (await seedActors(conn.db)).actors;
});
afterAll(() => conn?.close());

test("unread first, newest first, every page in that order; 'more than 1,000'; only the account's stores", async () => {
  const north = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving" });
  const south = await orderIn(conn.db, { storeCode: "south", to: "dispatchReceiving" });
  const n = INBOX_COUNTED_UP_TO + 200;
  await conn.db.execute(sql`
    insert into notifications (account_id, order_id, message, priority, created_at, read_at)
    select ${nora().id}::int, case when i % 10 = 0 then ${south.id}::int else ${north.id}::int end, 'Alert ' || i, 'normal',
      '2026-01-01T00:00:00Z'::timestamptz + interval '1 minute' * (i / 3),
      case when i % 4 = 0 then '2026-02-01T00:00:00Z'::timestamptz end
    from generate_series(1, ${n}::int) i`);
  const first = await listInbox(conn.db, nora(), { page: 1 });
  expect(first).toMatchObject({ total: INBOX_COUNTED_UP_TO, more: true });
  const expected = rowsOf<{ id: string }>(
    await conn.db.execute(sql`select n.id from notifications n join orders o on o.id = n.order_id
      where n.account_id = ${nora().id} and o.store_id in (${sql.join(nora().storeIds.map((s) => sql`${s}`), sql`, `)})
      order by n.read_at is null desc, n.created_at desc, n.id desc`),
  ).map((r) => r.id);
  const seen: string[] = [];
  for (let page = 1; page <= Math.ceil(expected.length / INBOX_PAGE_SIZE); page++) seen.push(...(await listInbox(conn.db, nora(), { page })).rows.map((r) => r.id));
  expect(seen).toEqual(expected);
  expect(first.rows.every((r) => r.readAt === null)).toBe(true);
});

test("the rule filter offers the rules that may alert the account", async () => {
  const names = (await listRules(conn.db)).filter((r) => mayNotify(r, dana().roles)).map((r) => r.name);
  expect(names).toEqual(expect.arrayContaining(["New order", "Stage at risk", "Stage overdue"]));
  expect(names).not.toContain("Your order shipped");
  expect((await listRules(conn.db)).filter((r) => mayNotify(r, nora().roles)).map((r) => r.name)).toContain("Your order shipped");
});
