import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { type Executor, rowsOf } from "@/db/client";
import { openCountsFromCounters, overdueFromCounters } from "@/db/queries/orders";
import { failReasons, kpiDaily, kpiDurations, kpiDurationsWeekly, kpiFailReasonsDaily, kpiStageDaily, orders } from "@/db/schema";
import { type Actor, type StageKey, seesAllStores, stages } from "@/lib/workflow";
import type { KpiFilter } from "./filters";
import { type Bucket, histogramPercentile } from "./rollups";
import { orderScope, storeScope } from "./sql";
import { type KpiState, atLeastState, kpiTargets, productionTimeState, stageTimeState } from "./targets";

/**
 * The KPI figures, read from the daily rollups (./rollups.ts): a few thousand rows for any
 * period, whatever the number of orders. The same figures computed exactly from the orders are
 * ./exact.ts, which the tests and the benchmark compare against. Medians and 90th percentiles
 * come from histograms and are within 2 % of the exact ones. Which orders count for what
 * (docs/decisions/007-kpi-definitions.md):
 * - production time, on-time delivery, satisfaction: orders completed (received) in the period;
 * - quality: orders whose first inspection falls in the period;
 * - stage times: stage entries completed in the period, cancelled orders left out;
 * - overdue and work in progress: now, whatever the period.
 * Dates are UTC days, as in the rest of the app. What each figure counts is written once, in
 * ./sql.ts, which the rollups, the exact queries and the CSV export share.
 */

const DAY_S = 24 * 60 * 60;

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const asDate = (day: string) => sql`${day}::date`;

/**
 * A rollup row's store in the actor's scope: the rule of db/queries/orders.ts (`scopeCondition`)
 * applied to the rollup's own store column.
 */
function storeWhere(actor: Actor, filter: Pick<KpiFilter, "storeId">): SQL[] {
  const parts: SQL[] = [];
  if (!seesAllStores(actor)) parts.push(actor.storeIds.length ? sql`store_id in (${sql.join(actor.storeIds.map((id) => sql`${id}`), sql`, `)})` : sql`false`);
  if (filter.storeId) parts.push(sql`store_id = ${filter.storeId}`);
  return parts;
}

/** A rollup row's days in the period, and its store in the actor's scope. */
function rollupWhere(actor: Actor, filter: Pick<KpiFilter, "start" | "end" | "storeId">): SQL {
  return sql.join([sql`day >= ${asDate(isoDay(filter.start))} and day < ${asDate(isoDay(filter.end))}`, ...storeWhere(actor, filter)], sql` and `);
}

const weekOfDay = sql`date_trunc('week', day::timestamp)`;
const DAY_MS = DAY_S * 1000;

/**
 * The period's whole weeks (Monday to Sunday, UTC) as [first Monday, the Monday after the last),
 * or null when it holds none: those weeks are read from the weekly histograms, the days before
 * and after them from the daily ones, so a period reads at most 12 days and its weeks.
 */
export function wholeWeeks(filter: Pick<KpiFilter, "start" | "end">): { from: string; to: string } | null {
  const mondayOnOrAfter = (d: Date) => new Date(d.getTime() + ((8 - d.getUTCDay()) % 7) * DAY_MS);
  const mondayOnOrBefore = (d: Date) => new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY_MS);
  const from = mondayOnOrAfter(filter.start);
  const to = mondayOnOrBefore(filter.end);
  return from < to ? { from: isoDay(from), to: isoDay(to) } : null;
}

/**
 * The histograms of the period, per metric ("production" or a stage key), buckets ascending:
 * its whole weeks from kpi_durations_weekly, its other days from kpi_durations. A bucket's
 * smallest and largest durations are then those of the period's own durations, as with days only.
 */
async function histograms(db: Executor, actor: Actor, filter: KpiFilter, metrics: SQL) {
  const weeks = wholeWeeks(filter);
  const stores = storeWhere(actor, filter);
  const where = (...parts: SQL[]) => sql.join([...parts, ...stores, metrics], sql` and `);
  const start = asDate(isoDay(filter.start));
  const end = asDate(isoDay(filter.end));
  const source = weeks
    ? sql`
      select metric, bucket, n, lo, hi from ${kpiDurationsWeekly} where ${where(sql`week >= ${asDate(weeks.from)} and week < ${asDate(weeks.to)}`)}
      union all
      select metric, bucket, n, lo, hi from ${kpiDurations}
      where ${where(sql`((day >= ${start} and day < ${asDate(weeks.from)}) or (day >= ${asDate(weeks.to)} and day < ${end}))`)}`
    : sql`select metric, bucket, n, lo, hi from ${kpiDurations} where ${where(sql`day >= ${start} and day < ${end}`)}`;
  const rows = rowsOf<Bucket & { metric: string }>(
    await db.execute(sql`
      select metric, bucket, sum(n)::int as n, min(lo)::float8 as lo, max(hi)::float8 as hi
      from (${source}) h
      group by metric, bucket having sum(n) > 0
      order by metric, bucket`),
  );
  const by = new Map<string, Bucket[]>();
  for (const r of rows) by.set(r.metric, [...(by.get(r.metric) ?? []), r]);
  return by;
}

/** A figure with its state; `value` is null when no order had the data ("no data", never 0 or NaN). */
export type Figure = { value: number | null; state: KpiState | null; counted: number; of: number };

const rate = (part: number, whole: number) => (whole > 0 ? part / whole : null);

// --- Delivery: production time, on-time, satisfaction ----------------------------------------

export type DeliveryRow = {
  completed: number;
  timed: number;
  avg_s: number | null;
  median_s: number | null;
  p90_s: number | null;
  with_due: number;
  on_time: number;
  rated: number;
  rating: number | null;
  /** Of the completed orders: those that never failed an inspection, their failed inspections, those received damaged or wrong. */
  first_pass: number;
  reworks_of_received: number;
  received_bad: number;
};

export async function deliveryFigures(db: Executor, actor: Actor, filter: KpiFilter) {
  const [[r], hist] = await Promise.all([
    db.execute(sql`
      select
        coalesce(sum(completed), 0)::int as completed,
        coalesce(sum(timed), 0)::int as timed,
        (sum(production_seconds) / nullif(sum(timed), 0))::float8 as avg_s,
        coalesce(sum(with_due), 0)::int as with_due,
        coalesce(sum(on_time), 0)::int as on_time,
        coalesce(sum(rated), 0)::int as rated,
        (sum(rating_sum)::float8 / nullif(sum(rated), 0))::float8 as rating,
        coalesce(sum(first_pass), 0)::int as first_pass,
        coalesce(sum(reworks_of_received), 0)::int as reworks_of_received,
        coalesce(sum(received_bad), 0)::int as received_bad
      from ${kpiDaily}
      where ${rollupWhere(actor, filter)}`).then((res) => rowsOf<Omit<DeliveryRow, "median_s" | "p90_s">>(res)),
    histograms(db, actor, filter, sql`metric = 'production'`),
  ]);
  const production = hist.get("production") ?? [];
  return deliveryFrom({ ...r, median_s: histogramPercentile(production, 0.5), p90_s: histogramPercentile(production, 0.9) });
}

/** The delivery figures from their aggregates, whichever way those were computed. */
export function deliveryFrom(r: DeliveryRow) {
  const days = (s: number | null) => (s === null ? null : s / DAY_S);
  const avgDays = r.timed ? days(r.avg_s) : null;
  const onTimeRate = rate(r.on_time, r.with_due);
  const rating = r.rated ? r.rating : null;
  return {
    completed: r.completed,
    productionTime: {
      value: avgDays,
      median: r.timed ? days(r.median_s) : null,
      p90: r.timed ? days(r.p90_s) : null,
      state: avgDays === null ? null : productionTimeState(avgDays),
      counted: r.timed,
      of: r.completed,
    } satisfies Figure & { median: number | null; p90: number | null },
    onTime: {
      value: onTimeRate,
      onTime: r.on_time,
      state: onTimeRate === null ? null : atLeastState(onTimeRate, kpiTargets.onTime),
      counted: r.with_due,
      of: r.completed,
    } satisfies Figure & { onTime: number },
    satisfaction: {
      value: rating,
      state: rating === null ? null : atLeastState(rating, kpiTargets.satisfaction),
      counted: r.rated,
      of: r.completed,
    } satisfies Figure,
    ...qualityOfReceived(r),
  };
}

/**
 * Quality by reason's figures of the orders received in the period (decision 029): first-pass
 * yield (never failed an inspection), reworks per order (their failed inspections), and the
 * share received `damaged` or `wrongSpecification`. The card's targets name none of them.
 */
export function qualityOfReceived(r: Pick<DeliveryRow, "completed" | "first_pass" | "reworks_of_received" | "received_bad">) {
  return {
    firstPassYield: { value: rate(r.first_pass, r.completed), firstPass: r.first_pass, state: null, counted: r.completed, of: r.completed } satisfies Figure & { firstPass: number },
    reworksPerOrder: { value: rate(r.reworks_of_received, r.completed), reworks: r.reworks_of_received, state: null, counted: r.completed, of: r.completed } satisfies Figure & { reworks: number },
    receivedBad: { value: rate(r.received_bad, r.completed), bad: r.received_bad, state: null, counted: r.completed, of: r.completed } satisfies Figure & { bad: number },
  };
}

// --- Fail reasons -------------------------------------------------------------------------

export type FailReasonRow = { reason_id: number; label: string; archived: boolean; failed: number };

/**
 * The Pareto of fail reasons: failed inspections recorded in the period naming each reason (an
 * inspection naming two counts for both), most first, then by the list's order. Reasons that no
 * inspection in the period named are left out.
 */
export async function failReasonFigures(db: Executor, actor: Actor, filter: KpiFilter) {
  return rowsOf<FailReasonRow>(
    await db.execute(sql`
      select k.reason_id, ${failReasons.label} as label, (${failReasons.archivedAt} is not null) as archived, sum(k.failed)::int as failed
      from ${kpiFailReasonsDaily} k join ${failReasons} on ${failReasons.id} = k.reason_id
      where ${rollupWhere(actor, filter)}
      group by k.reason_id, ${failReasons.label}, ${failReasons.archivedAt}, ${failReasons.position}
      having sum(k.failed) > 0
      order by failed desc, ${failReasons.position}, k.reason_id`),
  );
}

/** The Pareto's bars with their cumulative share of all reasons named. */
export function paretoFrom(rows: FailReasonRow[]) {
  const total = rows.reduce((n, r) => n + r.failed, 0);
  let running = 0;
  return {
    total,
    bars: rows.map((r) => {
      running += r.failed;
      return { reasonId: r.reason_id, label: r.label, archived: r.archived, failed: r.failed, share: r.failed / total, cumulative: running / total };
    }),
  };
}

// --- Quality ------------------------------------------------------------------------------

export type QualityRow = { week: string | null; inspected: number; passed: number; reworks: number };

/**
 * Pass rate at the first inspection (the earliest, ties broken by id) of the orders first
 * inspected in the period, and reworks: failed inspections recorded in the period. For the
 * period (`week` null) and per week. An order's first inspection is in the period when it has
 * one there and none before: the earliest of those in the period is its first.
 */
export async function qualityRows(db: Executor, actor: Actor, filter: KpiFilter) {
  return rowsOf<QualityRow>(
    await db.execute(sql`
      select to_char(${weekOfDay}, 'YYYY-MM-DD') as week,
        coalesce(sum(first_inspected), 0)::int as inspected,
        coalesce(sum(first_passed), 0)::int as passed,
        coalesce(sum(failed_inspections), 0)::int as reworks
      from ${kpiDaily}
      where ${rollupWhere(actor, filter)}
      group by rollup (${weekOfDay})`),
  );
}

export function qualityTotal(rows: QualityRow[]) {
  const t = rows.find((r) => r.week === null) ?? { inspected: 0, passed: 0, reworks: 0 };
  const value = rate(t.passed, t.inspected);
  return {
    value,
    passed: t.passed,
    reworks: t.reworks,
    state: value === null ? null : atLeastState(value, kpiTargets.qualityPass),
    counted: t.inspected,
    of: t.inspected,
  } satisfies Figure & { passed: number; reworks: number };
}

// --- Stages -------------------------------------------------------------------------------

export type StageRow = { stage: StageKey; entries: number; avg_s: number; p90_s: number; late: number };

export type StageFigure = {
  stage: StageKey;
  entries: number;
  avgMs: number | null;
  p90Ms: number | null;
  late: number;
  lateRate: number | null;
  state: KpiState | null;
};

/** Time in each stage against its target, and the bottleneck: the stage most often late. */
export async function stageFigures(db: Executor, actor: Actor, filter: KpiFilter) {
  const [rows, hist] = await Promise.all([
    db
      .execute(sql`
        select stage, sum(entries)::int as entries, (sum(seconds) / nullif(sum(entries), 0))::float8 as avg_s, sum(late)::int as late
        from ${kpiStageDaily}
        where ${rollupWhere(actor, filter)}
        group by stage`)
      .then((res) => rowsOf<Omit<StageRow, "p90_s">>(res)),
    histograms(db, actor, filter, sql`metric <> 'production'`),
  ]);
  return stagesFrom(rows.map((r) => ({ ...r, p90_s: histogramPercentile(hist.get(r.stage) ?? [], 0.9) ?? 0 })));
}

/** Stage figures and the bottleneck from per-stage aggregates, whichever way those were computed. */
export function stagesFrom(rows: StageRow[]) {
  const byStage = new Map(rows.map((r) => [r.stage, r]));
  const figures: StageFigure[] = stages.map((s) => {
    const r = byStage.get(s.key);
    if (!r || r.entries === 0) return { stage: s.key, entries: 0, avgMs: null, p90Ms: null, late: 0, lateRate: null, state: null };
    const avgMs = r.avg_s * 1000;
    const p90Ms = r.p90_s * 1000;
    return { stage: s.key, entries: r.entries, avgMs, p90Ms, late: r.late, lateRate: r.late / r.entries, state: stageTimeState(s.key, avgMs, p90Ms) };
  });
  // Most often late = the highest share of late entries; no bottleneck when nothing was late.
  const bottleneck = figures
    .filter((f) => f.late > 0)
    .sort((a, b) => b.lateRate! - a.lateRate! || b.late - a.late)[0]?.stage ?? null;
  return { stages: figures, bottleneck };
}

// --- Now: work in progress and overdue ------------------------------------------------------

export type NowRow = { stage: StageKey; wip: number; overdue: number; on_hold: number };

/** Overdue orders are counted one by one up to this many; past it, as the active orders less those not yet due. */
export const OVERDUE_COUNTED_UP_TO = 2000;

/**
 * Orders in each stage now and how many of them are past their stage's due time (the period does
 * not apply): how many are open from the order counters (db/queries/orders.ts), so the page never
 * counts every open order. Overdue ones are counted from the open orders' due index up to
 * OVERDUE_COUNTED_UP_TO; past it, as the active orders less those not yet due, so either way the
 * page reads the smaller side and some more. exact.ts counts both from the orders, for the tests.
 */
export async function workInProgress(db: Executor, actor: Actor, filter: Pick<KpiFilter, "storeId">, now = new Date()) {
  const scope = storeScope(actor, filter);
  const [open, firstOverdue] = await Promise.all([
    openCountsFromCounters(db, scope),
    db.execute(sql`
      select stage, count(*)::int as overdue from (
        select ${orders.stage} as stage from ${orders}
        where ${orders.state} in ('active', 'onHold') and ${orders.state} = 'active' and ${orders.stageDueAt} <= ${now.toISOString()}::timestamptz and ${orderScope(actor, filter)}
        limit ${OVERDUE_COUNTED_UP_TO + 1}
      ) o group by stage`),
  ]);
  let overdue = rowsOf<{ stage: StageKey; overdue: number }>(firstOverdue).map((r) => ({ stage: r.stage, overdue: Number(r.overdue) }));
  if (overdue.reduce((n, r) => n + r.overdue, 0) > OVERDUE_COUNTED_UP_TO) overdue = await overdueFromCounters(db, scope, now);
  const late = new Map(overdue.map((r) => [r.stage, r.overdue]));
  return nowFrom(
    stages.map((s) => ({
      stage: s.key,
      wip: open.filter((r) => r.stage === s.key && r.state === "active").reduce((n, r) => n + Number(r.n), 0),
      overdue: late.get(s.key) ?? 0,
      on_hold: open.filter((r) => r.stage === s.key && r.state === "onHold").reduce((n, r) => n + Number(r.n), 0),
    })),
  );
}

/** The figures of "right now" from per-stage counts, whichever way those were counted. */
export function nowFrom(rows: NowRow[]) {
  const byStage = new Map(rows.map((r) => [r.stage, r]));
  const perStage = stages.map((s) => ({ stage: s.key, wip: byStage.get(s.key)?.wip ?? 0, overdue: byStage.get(s.key)?.overdue ?? 0 }));
  return {
    stages: perStage,
    wip: perStage.reduce((n, s) => n + s.wip, 0),
    overdue: perStage.reduce((n, s) => n + s.overdue, 0),
    onHold: rows.reduce((n, r) => n + r.on_hold, 0),
  };
}

// --- Weekly trend -------------------------------------------------------------------------

export type WeekRow = {
  week: string;
  with_due: number;
  on_time: number;
  completed: number;
  timed: number;
  production_seconds: number;
  rated: number;
  rating_sum: number;
  first_pass: number;
  reworks_of_received: number;
  received_bad: number;
};

export type TrendWeek = {
  /** Monday of the week (UTC), YYYY-MM-DD. */
  week: string;
  onTime: number | null;
  delivered: number;
  quality: number | null;
  inspected: number;
};

export async function onTimeWeeks(db: Executor, actor: Actor, filter: KpiFilter) {
  return rowsOf<WeekRow>(
    await db.execute(sql`
      select to_char(${weekOfDay}, 'YYYY-MM-DD') as week, sum(with_due)::int as with_due, sum(on_time)::int as on_time,
        sum(completed)::int as completed, sum(timed)::int as timed, sum(production_seconds)::float8 as production_seconds,
        sum(rated)::int as rated, sum(rating_sum)::int as rating_sum, sum(first_pass)::int as first_pass,
        sum(reworks_of_received)::int as reworks_of_received, sum(received_bad)::int as received_bad
      from ${kpiDaily}
      where ${rollupWhere(actor, filter)}
      group by ${weekOfDay}`),
  );
}

/** Every week the period touches, Monday first; a week without data has null rates, not 0. */
export function periodWeeks(filter: Pick<KpiFilter, "start" | "end">): string[] {
  const first = new Date(filter.start);
  first.setUTCDate(first.getUTCDate() - ((first.getUTCDay() + 6) % 7));
  const weeks: string[] = [];
  for (let d = first; d < filter.end; d = new Date(d.getTime() + 7 * DAY_S * 1000)) weeks.push(d.toISOString().slice(0, 10));
  return weeks;
}

export function trend(filter: KpiFilter, onTimeRows: WeekRow[], quality: QualityRow[]): TrendWeek[] {
  const delivered = new Map(onTimeRows.map((r) => [r.week, r]));
  const inspected = new Map(quality.filter((r) => r.week).map((r) => [r.week!, r]));
  return periodWeeks(filter).map((week) => {
    const d = delivered.get(week);
    const q = inspected.get(week);
    return {
      week,
      onTime: d ? rate(d.on_time, d.with_due) : null,
      delivered: d?.with_due ?? 0,
      quality: q ? rate(q.passed, q.inspected) : null,
      inspected: q?.inspected ?? 0,
    };
  });
}

/** A week of the delivery cohort's figures (orders received that week); null where the week had none to count. */
export type DeliveryWeek = {
  week: string;
  received: number;
  productionDays: number | null;
  timed: number;
  satisfaction: number | null;
  rated: number;
  firstPassYield: number | null;
  reworksPerOrder: number | null;
  receivedBad: number | null;
};

/** The weekly trend of production time, satisfaction and quality by reason, every week the period touches. */
export function deliveryTrend(filter: KpiFilter, rows: WeekRow[]): DeliveryWeek[] {
  const byWeek = new Map(rows.map((r) => [r.week, r]));
  return periodWeeks(filter).map((week) => {
    const r = byWeek.get(week);
    const completed = r?.completed ?? 0;
    return {
      week,
      received: completed,
      productionDays: r && r.timed ? r.production_seconds / r.timed / DAY_S : null,
      timed: r?.timed ?? 0,
      satisfaction: r && r.rated ? r.rating_sum / r.rated : null,
      rated: r?.rated ?? 0,
      firstPassYield: r ? rate(r.first_pass, completed) : null,
      reworksPerOrder: r ? rate(r.reworks_of_received, completed) : null,
      receivedBad: r ? rate(r.received_bad, completed) : null,
    };
  });
}

// --- The page -----------------------------------------------------------------------------

/** Where each part of the report comes from: the rollups here, the exact SQL in exact.ts. */
export type KpiSources = {
  delivery: typeof deliveryFigures;
  quality: typeof qualityRows;
  stages: typeof stageFigures;
  weeks: typeof onTimeWeeks;
  reasons: typeof failReasonFigures;
  now: typeof workInProgress;
};

/** The period's figures from their parts (everything but "right now"): the one assembly both the page and the exact comparison use. */
export async function assemblePeriodFigures(sources: Omit<KpiSources, "now">, db: Executor, actor: Actor, filter: KpiFilter) {
  const [delivery, qualityRowsAll, stageTimes, weeks, reasons] = await Promise.all([
    sources.delivery(db, actor, filter),
    sources.quality(db, actor, filter),
    sources.stages(db, actor, filter),
    sources.weeks(db, actor, filter),
    sources.reasons(db, actor, filter),
  ]);
  return {
    ...delivery,
    quality: qualityTotal(qualityRowsAll),
    stageTimes,
    trend: trend(filter, weeks, qualityRowsAll),
    deliveryTrend: deliveryTrend(filter, weeks),
    failReasons: paretoFrom(reasons),
  };
}

/** The report from its parts: the period's figures and what is in progress now. */
export async function assembleKpiReport(sources: KpiSources, db: Executor, actor: Actor, filter: KpiFilter, now = new Date()) {
  const [period, current] = await Promise.all([assemblePeriodFigures(sources, db, actor, filter), sources.now(db, actor, filter, now)]);
  return { ...period, now: current };
}

const rollupSources = { delivery: deliveryFigures, quality: qualityRows, stages: stageFigures, weeks: onTimeWeeks, reasons: failReasonFigures, now: workInProgress };

/** The period's figures from the rollups (what the page may keep for a while: lib/kpi/cache.ts). */
export const periodFigures = (db: Executor, actor: Actor, filter: KpiFilter) => assemblePeriodFigures(rollupSources, db, actor, filter);
export type PeriodFigures = Awaited<ReturnType<typeof periodFigures>>;

/** Everything the KPI page shows, for one filter and account. */
export const kpiReport = (db: Executor, actor: Actor, filter: KpiFilter, now = new Date()) => assembleKpiReport(rollupSources, db, actor, filter, now);
export type KpiReport = Awaited<ReturnType<typeof kpiReport>>;
