import "server-only";
import { type SQL, and, sql } from "drizzle-orm";
import { type Executor, rowsOf } from "@/db/client";
import { inspections, orders, stageEntries } from "@/db/schema";
import { type Actor, type StageKey, stageKeys, stages } from "@/lib/workflow";
import type { KpiFilter } from "./filters";
import {
  firstInspectedInPeriod,
  firstInspections,
  inPeriod,
  onTime,
  orderScope,
  productionSeconds,
  receivedInPeriod,
  stageSeconds,
  storeScope,
} from "./sql";
import { type KpiState, atLeastState, kpiTargets, productionTimeState, stageTimeState } from "./targets";

/**
 * The KPI figures, each one SQL aggregate over indexed columns; no order is loaded into
 * JavaScript. Which orders count for what (docs/decisions/007-kpi-definitions.md):
 * - production time, on-time delivery, satisfaction: orders completed (received) in the period;
 * - quality: orders whose first inspection falls in the period;
 * - stage times: stage entries completed in the period, cancelled orders left out;
 * - overdue and work in progress: now, whatever the period.
 * Dates are UTC days, as in the rest of the app. What each figure counts is written once, in
 * ./sql.ts, which the CSV export shares; store scope comes from the one rule in
 * db/queries/orders.ts (`scopeCondition`).
 */

const DAY_S = 24 * 60 * 60;

/**
 * The same scope for rows of a child table (stage entries, inspections): no join at all when
 * the actor sees every order, which is the common case and the cheap one.
 */
function childScope(orderId: SQL, actor: Actor, filter: Pick<KpiFilter, "storeId">, extra?: SQL): SQL {
  const scope = storeScope(actor, filter);
  if (!scope && !extra) return sql`true`;
  return sql`${orderId} in (select ${orders.id} from ${orders} where ${and(scope, extra)})`;
}

const weekStart = (col: SQL) => sql`date_trunc('week', ${col} at time zone 'UTC')`;
const weekLabel = (col: SQL) => sql`to_char(${weekStart(col)}, 'YYYY-MM-DD')`;

/** A figure with its state; `value` is null when no order had the data ("no data", never 0 or NaN). */
export type Figure = { value: number | null; state: KpiState | null; counted: number; of: number };

const rate = (part: number, whole: number) => (whole > 0 ? part / whole : null);

// --- Delivery: production time, on-time, satisfaction ----------------------------------------

type DeliveryRow = {
  completed: number;
  timed: number;
  avg_s: number | null;
  median_s: number | null;
  p90_s: number | null;
  with_due: number;
  on_time: number;
  rated: number;
  rating: number | null;
};

export async function deliveryFigures(db: Executor, actor: Actor, filter: KpiFilter) {
  const [r] = rowsOf<DeliveryRow>(
    await db.execute(sql`
      select
        count(*)::int as completed,
        count(${orders.submittedAt})::int as timed,
        avg(${productionSeconds})::float8 as avg_s,
        percentile_cont(0.5) within group (order by ${productionSeconds})::float8 as median_s,
        percentile_cont(0.9) within group (order by ${productionSeconds})::float8 as p90_s,
        count(${orders.requiredDeliveryDate})::int as with_due,
        (count(*) filter (where ${onTime}))::int as on_time,
        count(${orders.customerRating})::int as rated,
        avg(${orders.customerRating})::float8 as rating
      from ${orders}
      where ${receivedInPeriod(filter)} and ${orderScope(actor, filter)}`),
  );
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
  };
}

// --- Quality ------------------------------------------------------------------------------

type QualityRow = { week: string | null; inspected: number; passed: number; reworks: number };

/**
 * Pass rate at the first inspection (the earliest, ties broken by id) of the orders first
 * inspected in the period, and reworks: failed inspections recorded in the period. For the
 * period (`week` null) and per week. An order's first inspection is in the period when it has
 * one there and none before: the earliest of those in the period is its first.
 */
export async function qualityRows(db: Executor, actor: Actor, filter: KpiFilter) {
  const scope = childScope(sql`${inspections.orderId}`, actor, filter);
  return rowsOf<QualityRow>(
    await db.execute(sql`
      with firsts as (${firstInspections(sql`${firstInspectedInPeriod(filter)} and ${scope}`)}),
      events as (
        select at, result, true as first from firsts
        union all
        select ${inspections.createdAt}, ${inspections.result}, false from ${inspections}
        where ${inPeriod(inspections.createdAt, filter)} and ${scope} and ${inspections.result} = 'fail'
      )
      select ${weekLabel(sql`at`)} as week,
        (count(*) filter (where first))::int as inspected,
        (count(*) filter (where first and result = 'pass'))::int as passed,
        (count(*) filter (where result = 'fail' and not first))::int as reworks
      from events
      group by rollup (${weekStart(sql`at`)})`),
  );
}

function qualityTotal(rows: QualityRow[]) {
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

type StageRow = { stage: StageKey; entries: number; avg_s: number; p90_s: number; late: number };

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
  // A cancellation closes the open entry too; that is not a stage finishing, so cancelled orders are left out.
  const notCancelled = storeScope(actor, filter)
    ? childScope(sql`${stageEntries.orderId}`, actor, filter, sql`${orders.state} <> 'cancelled'`)
    : sql`${stageEntries.orderId} not in (select ${orders.id} from ${orders} where ${orders.state} = 'cancelled')`;
  const rows = rowsOf<StageRow>(
    await db.execute(sql`
      select ${stageEntries.stage} as stage,
        count(*)::int as entries,
        avg(${stageSeconds})::float8 as avg_s,
        percentile_cont(0.9) within group (order by ${stageSeconds})::float8 as p90_s,
        (count(*) filter (where ${stageEntries.completedAt} > ${stageEntries.dueAt}))::int as late
      from ${stageEntries}
      -- Naming the stages lets the (stage, completed_at, …) index be searched per stage, not scanned whole.
      where ${stageEntries.stage} in (${sql.join(
        stageKeys.map((k) => sql`${k}`),
        sql`, `,
      )})
        and ${inPeriod(stageEntries.completedAt, filter)}
        and ${notCancelled}
      group by ${stageEntries.stage}`),
  );
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

type NowRow = { stage: StageKey; wip: number; overdue: number; on_hold: number };

/** Orders in each stage now and how many of them are past their stage's due time (the period does not apply). */
export async function workInProgress(db: Executor, actor: Actor, filter: Pick<KpiFilter, "storeId">, now = new Date()) {
  const rows = rowsOf<NowRow>(
    await db.execute(sql`
      select ${orders.stage} as stage,
        (count(*) filter (where ${orders.state} = 'active'))::int as wip,
        (count(*) filter (where ${orders.state} = 'active' and ${orders.stageDueAt} <= ${now.toISOString()}::timestamptz))::int as overdue,
        (count(*) filter (where ${orders.state} = 'onHold'))::int as on_hold
      from ${orders}
      where ${orders.state} in ('active', 'onHold') and ${orderScope(actor, filter)}
      group by ${orders.stage}`),
  );
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

type WeekRow = { week: string; with_due: number; on_time: number };

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
      select ${weekLabel(sql`${orders.receivedAt}`)} as week,
        count(${orders.requiredDeliveryDate})::int as with_due,
        (count(*) filter (where ${onTime}))::int as on_time
      from ${orders}
      where ${receivedInPeriod(filter)} and ${orderScope(actor, filter)}
      group by ${weekStart(sql`${orders.receivedAt}`)}`),
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

function trend(filter: KpiFilter, onTimeRows: WeekRow[], quality: QualityRow[]): TrendWeek[] {
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

// --- The page -----------------------------------------------------------------------------

/** Everything the KPI page shows, for one filter and account. */
export async function kpiReport(db: Executor, actor: Actor, filter: KpiFilter, now = new Date()) {
  const [delivery, qualityRowsAll, stageTimes, current, weeks] = await Promise.all([
    deliveryFigures(db, actor, filter),
    qualityRows(db, actor, filter),
    stageFigures(db, actor, filter),
    workInProgress(db, actor, filter, now),
    onTimeWeeks(db, actor, filter),
  ]);
  return {
    ...delivery,
    quality: qualityTotal(qualityRowsAll),
    stageTimes,
    now: current,
    trend: trend(filter, weeks, qualityRowsAll),
  };
}
export type KpiReport = Awaited<ReturnType<typeof kpiReport>>;
