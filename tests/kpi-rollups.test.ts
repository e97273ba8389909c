import { afterAll, beforeAll, expect, test } from "vitest";
import { eq, sql } from "drizzle-orm";
import { type Connection, rowsOf } from "@/db/client";
import { orders } from "@/db/schema";
import { demoActor, seedDemo } from "@/lib/demo/seed";
import { driveOrder } from "@/lib/demo/orders";
import { parseKpiFilter } from "@/lib/kpi/filters";
import { exactKpiReport } from "@/lib/kpi/exact";
import { type KpiReport, kpiReport } from "@/lib/kpi/queries";
import { BUCKET_RATIO, histogramPercentile, rebuildKpiRollups } from "@/lib/kpi/rollups";
import { cancelOrder, completeStage, recordInspection } from "@/lib/orders/commands";
import type { Actor } from "@/lib/workflow";
import { testDatabase } from "./database";

/**
 * The rollups against the exact SQL on generated data (3,000 history orders, rebuilt by the
 * seed), then kept up to date by the commands: orders completed, inspections recorded and an
 * order cancelled after some of its stages, all through lib/orders/commands.ts.
 */

let conn: Connection;
let ops: Actor;
let south: Actor;

beforeAll(async () => {
  conn = await testDatabase();
  await seedDemo(conn.db, { historyOrders: 3000 });
  ops = await demoActor(conn.db, "ops@example.com");
  south = await demoActor(conn.db, "store.south@example.com");
});
afterAll(() => conn.close());

const within = (fast: number | null, exact: number | null, bound = BUCKET_RATIO - 1) => {
  if (exact === null) return expect(fast).toBeNull();
  expect(fast).not.toBeNull();
  expect(Math.abs(fast! - exact) / Math.abs(exact)).toBeLessThanOrEqual(bound);
};

/** Counts and sums equal, averages equal to float rounding, medians and percentiles within 2 %. */
function compare(fast: KpiReport, exact: KpiReport) {
  const { median: fm, p90: fp, ...fastTime } = fast.productionTime;
  const { median: em, p90: ep, ...exactTime } = exact.productionTime;
  within(fm, em);
  within(fp, ep);
  expect(fastTime.value ?? 0).toBeCloseTo(exactTime.value ?? 0, 9);
  expect({ ...fastTime, value: null }).toEqual({ ...exactTime, value: null });
  expect(fast.completed).toBe(exact.completed);
  expect(fast.onTime).toEqual(exact.onTime);
  expect(fast.quality).toEqual(exact.quality);
  expect(fast.satisfaction.value ?? 0).toBeCloseTo(exact.satisfaction.value ?? 0, 9);
  expect(fast.satisfaction.counted).toBe(exact.satisfaction.counted);
  expect(fast.now).toEqual(exact.now);
  expect(fast.trend).toEqual(exact.trend);
  expect(fast.stageTimes.bottleneck).toBe(exact.stageTimes.bottleneck);
  fast.stageTimes.stages.forEach((s, i) => {
    const e = exact.stageTimes.stages[i];
    expect([s.stage, s.entries, s.late, s.lateRate]).toEqual([e.stage, e.entries, e.late, e.lateRate]);
    expect(s.avgMs ?? 0).toBeCloseTo(e.avgMs ?? 0, 3);
    within(s.p90Ms, e.p90Ms);
  });
}

const filters = () => [
  [ops, parseKpiFilter({ period: "90" }).filter],
  [ops, parseKpiFilter({ period: "30" }).filter],
  [ops, parseKpiFilter({ period: "7" }).filter],
  [south, parseKpiFilter({ period: "90" }).filter],
] as const;

test("generated history: every figure matches the exact SQL, percentiles within 2 %", async () => {
  for (const [actor, filter] of filters()) compare(await kpiReport(conn.db, actor, filter), await exactKpiReport(conn.db, actor, filter));
});

test("the commands keep the rollups up to date in their transaction, the same as a rebuild", async () => {
  const db = conn.db;
  // Two orders through every stage, one with a failed inspection on the way; one cancelled in production.
  await driveOrder(db, { storeCode: "north", to: "completed", startedAt: new Date(Date.now() - 200 * 3600_000) });
  const failing = await driveOrder(db, { storeCode: "south", to: "inProduction", startedAt: new Date(Date.now() - 100 * 3600_000) });
  const qc = await demoActor(db, "qc@example.com");
  const inspected = await recordInspection({ db, actor: qc }, { orderId: failing.id, version: failing.version, qualityCheckResults: { result: "fail", notes: "Rework" } });
  expect(inspected.ok).toBe(true);
  const dropped = await driveOrder(db, { storeCode: "north", to: "dispatching" });
  const cancelled = await cancelOrder({ db, actor: await demoActor(db, "store.north@example.com") }, { orderId: dropped.id, version: dropped.version, reason: "No longer needed" });
  expect(cancelled.ok).toBe(true);
  // A refused completion (the failed inspection) writes nothing.
  const [current] = await db.select().from(orders).where(eq(orders.id, failing.id));
  expect((await completeStage({ db, actor: await demoActor(db, "production@example.com") }, { orderId: failing.id, version: current.version, confirmOpenTodos: true })).ok).toBe(false);

  for (const [actor, filter] of filters()) compare(await kpiReport(db, actor, filter), await exactKpiReport(db, actor, filter));

  const snapshot = async () => ({
    daily: rowsOf(await db.execute(sql`select * from kpi_daily where completed + first_inspected + failed_inspections > 0 order by day, store_id`)),
    stages: rowsOf(await db.execute(sql`select day, store_id, stage, entries, late, round(seconds::numeric, 3)::text as seconds from kpi_stage_daily where entries > 0 order by 1, 2, 3`)),
    durations: rowsOf(await db.execute(sql`select day, store_id, metric, bucket, n from kpi_durations where n > 0 order by 1, 2, 3, 4`)),
  });
  const incremental = await snapshot();
  await db.transaction((tx) => rebuildKpiRollups(tx));
  expect(await snapshot()).toEqual(incremental);
});

test("a percentile from the histogram: exact for single values, interpolated like percentile_cont", () => {
  expect(histogramPercentile([], 0.5)).toBeNull();
  expect(histogramPercentile([{ bucket: 1, n: 1, lo: 5, hi: 5 }], 0.9)).toBe(5);
  // 10 and 20 alone: p90 = 10 + 0.9 × 10.
  expect(histogramPercentile([{ bucket: 1, n: 1, lo: 10, hi: 10 }, { bucket: 2, n: 1, lo: 20, hi: 20 }], 0.9)).toBeCloseTo(19, 12);
  // Three in one bucket between 100 and 101: placed at 100, 100.5, 101.
  expect(histogramPercentile([{ bucket: 3, n: 3, lo: 100, hi: 101 }], 0.5)).toBeCloseTo(100.5, 12);
});
