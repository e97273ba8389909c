import { afterAll, beforeAll, expect, test } from "vitest";
import { sql } from "drizzle-orm";
import { type Connection, rowsOf } from "@/db/client";
import { demoActor, seedDemo } from "@/lib/demo/seed";
import { kpiCsv, kpiCsvText } from "@/lib/kpi/export";
import { parseKpiFilter } from "@/lib/kpi/filters";
import { formatOrderNumber } from "@/lib/workflow";
import { onServer, testDatabase } from "./database";

/**
 * The CSV export on generated data, past one cursor fetch: every order in a figure once, in id
 * order, and each line's figures as the tables hold them. The hand-computed fixture
 * (tests/kpi.test.ts) checks the definitions; this checks the reading.
 */

let conn: Connection;
beforeAll(async () => {
  conn = await testDatabase();
  await seedDemo(conn.db, { historyOrders: 4500 });
});
afterAll(() => conn.close());

/** The cells of one CSV line: quoted ones unquoted. */
const cells = (line: string) => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)].slice(0, -1).map((m) => m[1].replace(/^"|"$/g, "").replace(/""/g, '"'));

async function csv(email: string, query: Record<string, string>) {
  const actor = await demoActor(conn.db, email);
  const { filter } = parseKpiFilter(query);
  let text = "";
  for await (const chunk of kpiCsv(conn.db, actor, filter)) text += chunk;
  const [head, ...lines] = text.trimEnd().split("\n");
  return { head: cells(head), lines, filter };
}

test("every order received or first inspected in the period, once, in id order, across fetches", async () => {
  const { head, lines, filter } = await csv("ops@example.com", { period: "90" });
  const [{ ids }] = rowsOf<{ ids: number[] }>(
    await conn.db.execute(sql`
      select coalesce(array_agg(id order by id), '{}') as ids from orders o
      where (o.state = 'completed' and o.received_at >= ${filter.start.toISOString()}::timestamptz and o.received_at < ${filter.end.toISOString()}::timestamptz)
        or exists (select 1 from inspections i where i.order_id = o.id
          and i.created_at >= ${filter.start.toISOString()}::timestamptz and i.created_at < ${filter.end.toISOString()}::timestamptz
          and not exists (select 1 from inspections e where e.order_id = o.id and e.created_at < ${filter.start.toISOString()}::timestamptz))`),
  );
  expect(ids.length).toBeGreaterThan(4000);
  expect(lines.map((l) => cells(l)[0])).toEqual(ids.map(formatOrderNumber));

  // One line against the tables: hours per stage, failed inspections, production days.
  const sample = cells(lines[Math.floor(lines.length / 2)]);
  expect(sample).toHaveLength(head.length);
  const row = Object.fromEntries(head.map((h, i) => [h, sample[i]]));
  const id = ids[Math.floor(lines.length / 2)];
  const [expected] = rowsOf<{ fails: number; production: string; hours: string }>(
    await conn.db.execute(sql`
      select (select count(*)::int from inspections where order_id = ${id} and result = 'fail') as fails,
        round((date_part('epoch', received_at - submitted_at) / 86400)::numeric, 2)::text as production,
        (select round((date_part('epoch', completed_at - entered_at) / 3600)::numeric, 2)::text from stage_entries
          where order_id = ${id} and stage = 'inProduction') as hours
      from orders where id = ${id}`),
  );
  expect(Number(row["Failed inspections"])).toBe(expected.fails);
  expect(Number(row["Production days"])).toBe(Number(expected.production));
  expect(Number(row["In Production (hours)"])).toBe(Number(expected.hours));
});

test("a store manager's export holds their store's orders only", async () => {
  const all = await csv("ops@example.com", { period: "30" });
  const south = await csv("store.south@example.com", { period: "30" });
  const storeColumn = south.head.indexOf("Store");
  const stores = new Set(south.lines.map((l) => cells(l)[storeColumn]));
  expect(stores.size).toBe(1);
  expect(south.lines.length).toBeGreaterThan(0);
  expect(south.lines.length).toBeLessThan(all.lines.length);
  expect(all.lines.filter((l) => cells(l)[storeColumn] === [...stores][0])).toEqual(south.lines);
});

test("stopping part-way leaves the session usable", async () => {
  const actor = await demoActor(conn.db, "ops@example.com");
  const lines = kpiCsv(conn.db, actor, parseKpiFilter({ period: "90" }).filter);
  await lines.next();
  await lines.next();
  await lines.return(undefined);
  // Nothing left open: no cursor, no transaction held by a connection, and the database answers.
  const [{ open }] = rowsOf<{ open: number }>(await conn.db.execute(sql`select count(*)::int as open from pg_cursors where name like 'kpi_csv_%'`));
  expect(open).toBe(0);
  if (onServer()) {
    await expect
      .poll(async () => rowsOf<{ n: number }>(await conn.db.execute(sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and (state like 'idle in transaction%' or query ilike 'copy %')`))[0].n)
      .toBe(0);
  }
  expect(await kpiCsvText(conn.db, actor, parseKpiFilter({ period: "7" }).filter)).toMatch(/^Order,Store,/);
});
