import { afterAll, beforeAll, expect, test } from "vitest";
import { asc, count, eq, gt, sql } from "drizzle-orm";
import { type Connection, rowsOf } from "@/db/client";
import { inspections, orderHistory, orders, stageEntries } from "@/db/schema";
import { demoActor, seedDemo } from "@/lib/demo/seed";
import { seedHistory } from "@/lib/demo/history";
import { DEFAULT_HISTORY_ORDERS } from "@/lib/demo/orders";
import { parseKpiFilter } from "@/lib/kpi/filters";
import { kpiReport } from "@/lib/kpi/queries";
import { testDatabase } from "./database";

let conn: Connection;
beforeAll(async () => {
  conn = await testDatabase();
});
afterAll(() => conn.close());

test("the demo's first start has twelve weeks of history that tells a story against every target", async () => {
  await seedDemo(conn.db);
  const [{ n }] = await conn.db.select({ n: count() }).from(orders);
  expect(n).toBe(DEFAULT_HISTORY_ORDERS + 11);

  const ops = await demoActor(conn.db, "ops@example.com");
  const report = await kpiReport(conn.db, ops, parseKpiFilter({ period: "90" }).filter);
  expect(report.completed).toBeGreaterThanOrEqual(DEFAULT_HISTORY_ORDERS);
  // Near the card's targets, some late, some failed, mostly 4–5 stars.
  expect(report.productionTime.value).toBeGreaterThan(4);
  expect(report.productionTime.value).toBeLessThan(7);
  expect(report.onTime.value).toBeGreaterThan(0.8);
  expect(report.onTime.value).toBeLessThan(1);
  expect(report.quality.value).toBeGreaterThan(0.9);
  expect(report.quality.value).toBeLessThan(1);
  expect(report.quality.reworks).toBeGreaterThan(0);
  expect(report.satisfaction.value).toBeGreaterThan(4.2);
  expect(report.satisfaction.value).toBeLessThan(4.8);
  expect(report.stageTimes.stages.every((s) => s.entries > 0 && s.late > 0)).toBe(true);
  expect(report.stageTimes.bottleneck).toBe("inProduction");
  expect(report.trend.filter((w) => w.onTime !== null).length).toBeGreaterThanOrEqual(12);
  // Both stores have a history.
  const perStore = rowsOf<{ n: number }>(await conn.db.execute(sql`select count(*)::int as n from orders where state = 'completed' group by store_id`));
  expect(perStore.map((r) => r.n).every((c) => c > DEFAULT_HISTORY_ORDERS / 4)).toBe(true);
});

test("history orders are whole: five completed stage entries, a final passing inspection, a numbered history", async () => {
  const now = new Date("2025-06-30T12:00:00Z");
  const [{ maxId }] = rowsOf<{ maxId: number }>(await conn.db.execute(sql`select coalesce(max(id), 0)::int as "maxId" from orders`));
  const seen: number[] = [];
  await seedHistory(conn.db, { count: 250, now, batchSize: 100, progress: (done) => seen.push(done) });
  expect(seen).toEqual([0, 100, 200, 250]);

  const rows = await conn.db.select().from(orders).where(gt(orders.id, maxId)).orderBy(asc(orders.id));
  expect(rows).toHaveLength(250);
  const weeksAgo12 = now.getTime() - 12 * 7 * 86400_000;
  for (const o of rows) {
    expect(o.state).toBe("completed");
    expect(o.receivedAt!.getTime()).toBeGreaterThanOrEqual(weeksAgo12);
    expect(o.receivedAt!.getTime()).toBeLessThan(now.getTime());
    expect(o.submittedAt!.getTime()).toBeLessThan(o.receivedAt!.getTime());
  }
  // Oldest first, so order numbers follow time.
  expect(rows.map((o) => o.receivedAt!.getTime())).toEqual([...rows.map((o) => o.receivedAt!.getTime())].sort((a, b) => a - b));

  const sample = rows[17];
  const entries = await conn.db.select().from(stageEntries).where(eq(stageEntries.orderId, sample.id)).orderBy(asc(stageEntries.enteredAt));
  expect(entries.map((e) => e.stage)).toEqual(["storeOrder", "dispatchReceiving", "inProduction", "dispatching", "storeReceived"]);
  expect(entries[0].completedAt).toEqual(sample.submittedAt);
  expect(entries[4].completedAt).toEqual(sample.receivedAt);
  for (let i = 1; i < 5; i++) expect(entries[i].enteredAt).toEqual(entries[i - 1].completedAt);

  const checks = rowsOf<{ bad_inspections: number; bad_versions: number }>(
    await conn.db.execute(sql`
      select
        (select count(*)::int from orders o where o.id > ${maxId} and (
          select result from inspections i where i.order_id = o.id order by created_at desc, id desc limit 1) is distinct from 'pass') as bad_inspections,
        (select count(*)::int from orders o where o.id > ${maxId} and o.version <> (
          select max(version) from order_history h where h.order_id = o.id)) as bad_versions`),
  );
  expect(checks[0]).toEqual({ bad_inspections: 0, bad_versions: 0 });
  // Ids follow time: history in version order, stage entries in stage order (the app lists both by id).
  const [order] = rowsOf<{ history: number; entries: number }>(
    await conn.db.execute(sql`
      select
        (select count(*)::int from order_history h join order_history l on l.order_id = h.order_id and l.id > h.id and l.version < h.version
          where h.order_id > ${maxId}) as history,
        (select count(*)::int from stage_entries e join stage_entries l on l.order_id = e.order_id and l.id > e.id and l.entered_at < e.entered_at
          where e.order_id > ${maxId}) as entries`),
  );
  expect(order).toEqual({ history: 0, entries: 0 });
  const [{ events }] = await conn.db.select({ events: count() }).from(orderHistory).where(gt(orderHistory.orderId, maxId));
  const [{ checksDone }] = await conn.db.select({ checksDone: count() }).from(inspections).where(gt(inspections.orderId, maxId));
  expect(events).toBe(250 * 6 + checksDone); // created, four stage moves, completed, and each inspection
});

test("the same seed and end time give the same history", async () => {
  const now = new Date("2025-01-15T00:00:00Z");
  const [{ maxId }] = rowsOf<{ maxId: number }>(await conn.db.execute(sql`select max(id)::int as "maxId" from orders`));
  await seedHistory(conn.db, { count: 120, now, seed: 7 });
  await seedHistory(conn.db, { count: 120, now, seed: 7 });
  const rows = await conn.db
    .select({ store: orders.storeId, product: orders.productSummary, received: orders.receivedAt, required: orders.requiredDeliveryDate, rating: orders.customerRating, submitted: orders.submittedAt })
    .from(orders)
    .where(gt(orders.id, maxId))
    .orderBy(asc(orders.id));
  expect(rows).toHaveLength(240);
  expect(rows.slice(120)).toEqual(rows.slice(0, 120));
  await seedHistory(conn.db, { count: 120, now, seed: 8 });
  const other = await conn.db.select({ received: orders.receivedAt }).from(orders).where(gt(orders.id, maxId + 240)).orderBy(asc(orders.id));
  expect(other.map((r) => r.received)).not.toEqual(rows.slice(0, 120).map((r) => r.received));
});

test("a million-order seed: inspection ids past 271,000 do not overflow the reason pick (found seeding 1M on PostgreSQL)", async () => {
  // 2^31 / 7919 ≈ 271,183: the id times the spreading prime left int4 there.
  await conn.db.execute(sql`select setval(pg_get_serial_sequence('inspections', 'id'), 3000000)`);
  const [{ maxId }] = rowsOf<{ maxId: number }>(await conn.db.execute(sql`select max(id)::int as "maxId" from orders`));
  await seedHistory(conn.db, { count: 60, now: new Date("2025-03-01T00:00:00Z") });
  const [{ named }] = rowsOf<{ named: number }>(
    await conn.db.execute(sql`select count(*)::int as named from inspection_fail_reasons r join inspections i on i.id = r.inspection_id where i.id > 3000000 and r.order_id > ${maxId}`),
  );
  const [{ failed }] = rowsOf<{ failed: number }>(await conn.db.execute(sql`select count(*)::int as failed from inspections where id > 3000000 and result = 'fail'`));
  expect(named).toBe(failed);
});
