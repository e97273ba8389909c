import { afterAll, beforeAll, expect, test } from "vitest";
import { seededFailReasons } from "./fixtures";
import { eq, sql } from "drizzle-orm";
import { type Connection, rowsOf } from "@/db/client";
import { orders } from "@/db/schema";
import { demoActor, seedDemo } from "@/lib/demo/seed";
import { driveOrder } from "@/lib/demo/orders";
import { parseKpiFilter } from "@/lib/kpi/filters";
import { exactKpiReport } from "@/lib/kpi/exact";
import { type KpiReport, kpiReport, wholeWeeks } from "@/lib/kpi/queries";
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
  // Quality by reason (decision 029): counts equal, the Pareto equal bar for bar.
  expect(fast.firstPassYield).toEqual(exact.firstPassYield);
  expect(fast.reworksPerOrder).toEqual(exact.reworksPerOrder);
  expect(fast.receivedBad).toEqual(exact.receivedBad);
  expect(fast.failReasons).toEqual(exact.failReasons);
  // The weekly trends: counts equal, means to float rounding (a sum of seconds in another order).
  expect(fast.deliveryTrend.map(({ productionDays: _p, satisfaction: _s, ...w }) => w)).toEqual(exact.deliveryTrend.map(({ productionDays: _p, satisfaction: _s, ...w }) => w));
  fast.deliveryTrend.forEach((w, i) => {
    expect(w.productionDays ?? 0).toBeCloseTo(exact.deliveryTrend[i].productionDays ?? 0, 9);
    expect(w.satisfaction ?? 0).toBeCloseTo(exact.deliveryTrend[i].satisfaction ?? 0, 9);
  });
  expect(fast.stageTimes.bottleneck).toBe(exact.stageTimes.bottleneck);
  fast.stageTimes.stages.forEach((s, i) => {
    const e = exact.stageTimes.stages[i];
    expect([s.stage, s.entries, s.late, s.lateRate]).toEqual([e.stage, e.entries, e.late, e.lateRate]);
    expect(s.avgMs ?? 0).toBeCloseTo(e.avgMs ?? 0, 3);
    within(s.p90Ms, e.p90Ms);
  });
}

const DAY = 86400_000;
const isoDaysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString().slice(0, 10);
/** A custom range of whole UTC days, `from` and `to` days ago, moved so it starts on the given weekday (0 Sunday … 6 Saturday). */
const range = (fromDaysAgo: number, length: number, weekday: number) => {
  const first = new Date(Date.now() - fromDaysAgo * DAY);
  const shift = (first.getUTCDay() - weekday + 7) % 7;
  return parseKpiFilter({ period: "custom", from: isoDaysAgo(fromDaysAgo + shift), to: isoDaysAgo(fromDaysAgo + shift - length + 1) }).filter;
};

/**
 * The standard periods, and custom ones that read the weekly histograms differently: Monday to
 * Sunday (weeks only), Thursday to Tuesday (edge days on both sides of whole weeks), and a
 * week from Wednesday (no whole week: days only).
 */
const filters = () => [
  [ops, parseKpiFilter({ period: "90" }).filter],
  [ops, parseKpiFilter({ period: "30" }).filter],
  [ops, parseKpiFilter({ period: "7" }).filter],
  [south, parseKpiFilter({ period: "90" }).filter],
  [ops, range(70, 28, 1)],
  [ops, range(60, 40, 4)],
  [south, range(45, 26, 4)],
  [ops, range(20, 7, 3)],
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
  const inspected = await recordInspection({ db, actor: qc }, { orderId: failing.id, version: failing.version, qualityCheckResults: { result: "fail", notes: "Rework" }, failReasons: [seededFailReasons.finish] });
  expect(inspected.ok).toBe(true);
  const dropped = await driveOrder(db, { storeCode: "north", to: "dispatching" });
  const cancelled = await cancelOrder({ db, actor: await demoActor(db, "store.north@example.com") }, { orderId: dropped.id, version: dropped.version, reason: "No longer needed" });
  expect(cancelled.ok).toBe(true);
  // A refused completion (the failed inspection) writes nothing.
  const [current] = await db.select().from(orders).where(eq(orders.id, failing.id));
  expect((await completeStage({ db, actor: await demoActor(db, "production@example.com") }, { orderId: failing.id, version: current.version, confirmOpenTodos: true })).ok).toBe(false);

  for (const [actor, filter] of filters()) compare(await kpiReport(db, actor, filter), await exactKpiReport(db, actor, filter));

  const snapshot = async () => ({
    // Seconds are summed as double precision: a rebuild adds them in another order, so compare to the millisecond.
    daily: rowsOf<{ production_seconds: number }>(await db.execute(sql`select * from kpi_daily where completed + first_inspected + failed_inspections > 0 order by day, store_id`)).map((r) => ({
      ...r,
      production_seconds: Math.round(r.production_seconds * 1000) / 1000,
    })),
    stages: rowsOf(await db.execute(sql`select day, store_id, stage, entries, late, round(seconds::numeric, 3)::text as seconds from kpi_stage_daily where entries > 0 order by 1, 2, 3`)),
    durations: rowsOf(await db.execute(sql`select day, store_id, metric, bucket, n from kpi_durations where n > 0 order by 1, 2, 3, 4`)),
    failReasons: rowsOf(await db.execute(sql`select day, store_id, reason_id, failed from kpi_fail_reasons_daily where failed > 0 order by 1, 2, 3`)),
    weekly: rowsOf<{ lo: number; hi: number }>(await db.execute(sql`select week, store_id, metric, bucket, n, lo, hi from kpi_durations_weekly where n > 0 order by 1, 2, 3, 4`)),
  });
  const incremental = await snapshot();
  // The weekly histograms are the daily ones summed per week, bounds included.
  expect(incremental.weekly).toEqual(
    rowsOf(await db.execute(sql`
      select date_trunc('week', day::timestamp)::date as week, store_id, metric, bucket, sum(n)::int as n, min(lo) as lo, max(hi) as hi
      from kpi_durations group by 1, 2, 3, 4 having sum(n) > 0 order by 1, 2, 3, 4`)),
  );
  await db.transaction((tx) => rebuildKpiRollups(tx));
  const rebuilt = await snapshot();
  // A cancellation leaves a bucket's bounds as they were (they still bound what is left); a rebuild narrows them.
  expect({ ...rebuilt, weekly: rebuilt.weekly.map(({ lo: _lo, hi: _hi, ...r }) => r) }).toEqual({ ...incremental, weekly: incremental.weekly.map(({ lo: _lo, hi: _hi, ...r }) => r) });
});

test("a period's whole weeks, read from the weekly histograms; the days around them from the daily ones", () => {
  const f = (from: string, to: string) => wholeWeeks(parseKpiFilter({ period: "custom", from, to }).filter);
  // 2026-03-02 is a Monday.
  expect(f("2026-03-02", "2026-03-08")).toEqual({ from: "2026-03-02", to: "2026-03-09" });
  expect(f("2026-03-03", "2026-03-22")).toEqual({ from: "2026-03-09", to: "2026-03-23" });
  expect(f("2026-03-03", "2026-03-21")).toEqual({ from: "2026-03-09", to: "2026-03-16" });
  expect(f("2026-03-01", "2026-03-15")).toEqual({ from: "2026-03-02", to: "2026-03-16" });
  expect(f("2026-03-03", "2026-03-09")).toBeNull();
  expect(f("2026-03-02", "2026-03-07")).toBeNull();
});

test("a percentile from the histogram: exact for single values, interpolated like percentile_cont", () => {
  expect(histogramPercentile([], 0.5)).toBeNull();
  expect(histogramPercentile([{ bucket: 1, n: 1, lo: 5, hi: 5 }], 0.9)).toBe(5);
  // 10 and 20 alone: p90 = 10 + 0.9 × 10.
  expect(histogramPercentile([{ bucket: 1, n: 1, lo: 10, hi: 10 }, { bucket: 2, n: 1, lo: 20, hi: 20 }], 0.9)).toBeCloseTo(19, 12);
  // Three in one bucket between 100 and 101: placed at 100, 100.5, 101.
  expect(histogramPercentile([{ bucket: 3, n: 3, lo: 100, hi: 101 }], 0.5)).toBeCloseTo(100.5, 12);
});
