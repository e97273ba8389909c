import "server-only";
import { type SQL, and, sql } from "drizzle-orm";
import { type Executor, rowsOf } from "@/db/client";
import { failReasons, inspectionFailReasons, inspections, orders, stageEntries } from "@/db/schema";
import { type Actor, stageKeys } from "@/lib/workflow";
import type { KpiFilter } from "./filters";
import {
  failedForReasonInPeriod,
  failsOfOrder,
  firstInspectedInPeriod,
  firstInspections,
  inPeriod,
  onTime,
  orderScope,
  productionSeconds,
  receivedBad,
  receivedInPeriod,
  stageSeconds,
  storeScope,
} from "./sql";
import {
  type DeliveryRow,
  type FailReasonRow,
  type NowRow,
  type QualityRow,
  type StageRow,
  type WeekRow,
  assembleKpiReport,
  deliveryFrom,
  nowFrom,
  stagesFrom,
} from "./queries";

/**
 * The KPI figures computed exactly from the orders, each one SQL aggregate over indexed columns:
 * the floor the rollups (./queries.ts) are tested and benchmarked against. No order is loaded
 * into JavaScript. Which orders count for what (docs/decisions/007-kpi-definitions.md):
 * - production time, on-time delivery, satisfaction: orders completed (received) in the period;
 * - quality: orders whose first inspection falls in the period;
 * - stage times: stage entries completed in the period, cancelled orders left out;
 * - overdue and work in progress: now, whatever the period.
 * Dates are UTC days, as in the rest of the app. What each figure counts is written once, in
 * ./sql.ts, which the CSV export shares; store scope comes from the one rule in
 * db/queries/orders.ts (`scopeCondition`).
 */


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



// --- Delivery: production time, on-time, satisfaction ----------------------------------------


export async function exactDeliveryFigures(db: Executor, actor: Actor, filter: KpiFilter) {
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
        avg(${orders.customerRating})::float8 as rating,
        (count(*) filter (where fails.n = 0))::int as first_pass,
        coalesce(sum(fails.n), 0)::int as reworks_of_received,
        (count(*) filter (where ${receivedBad}))::int as received_bad
      from ${orders} cross join ${failsOfOrder}
      where ${receivedInPeriod(filter)} and ${orderScope(actor, filter)}`),
  );
  return deliveryFrom(r);
}

// --- Quality ------------------------------------------------------------------------------


/**
 * Pass rate at the first inspection (the earliest, ties broken by id) of the orders first
 * inspected in the period, and reworks: failed inspections recorded in the period. For the
 * period (`week` null) and per week. An order's first inspection is in the period when it has
 * one there and none before: the earliest of those in the period is its first.
 */
export async function exactQualityRows(db: Executor, actor: Actor, filter: KpiFilter) {
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

// --- Stages -------------------------------------------------------------------------------

/** Time in each stage against its target, and the bottleneck: the stage most often late. */
export async function exactStageFigures(db: Executor, actor: Actor, filter: KpiFilter) {
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
  return stagesFrom(rows);
}

// --- Weekly trend -------------------------------------------------------------------------

export async function exactOnTimeWeeks(db: Executor, actor: Actor, filter: KpiFilter) {
  return rowsOf<WeekRow>(
    await db.execute(sql`
      select ${weekLabel(sql`${orders.receivedAt}`)} as week,
        count(${orders.requiredDeliveryDate})::int as with_due,
        (count(*) filter (where ${onTime}))::int as on_time,
        count(*)::int as completed,
        count(${orders.submittedAt})::int as timed,
        coalesce(sum(${productionSeconds}), 0)::float8 as production_seconds,
        count(${orders.customerRating})::int as rated,
        coalesce(sum(${orders.customerRating}), 0)::int as rating_sum,
        (count(*) filter (where fails.n = 0))::int as first_pass,
        coalesce(sum(fails.n), 0)::int as reworks_of_received,
        (count(*) filter (where ${receivedBad}))::int as received_bad
      from ${orders} cross join ${failsOfOrder}
      where ${receivedInPeriod(filter)} and ${orderScope(actor, filter)}
      group by ${weekStart(sql`${orders.receivedAt}`)}`),
  );
}

// --- Fail reasons -------------------------------------------------------------------------

/** The Pareto of fail reasons from the inspections' own reasons. */
export async function exactFailReasonFigures(db: Executor, actor: Actor, filter: KpiFilter) {
  const scope = childScope(sql`${inspectionFailReasons.orderId}`, actor, filter);
  return rowsOf<FailReasonRow>(
    await db.execute(sql`
      select ${inspectionFailReasons.reasonId} as reason_id, ${failReasons.label} as label, (${failReasons.archivedAt} is not null) as archived, count(*)::int as failed
      from ${inspectionFailReasons} join ${failReasons} on ${failReasons.id} = ${inspectionFailReasons.reasonId}
      where ${failedForReasonInPeriod(filter)} and ${scope}
      group by ${inspectionFailReasons.reasonId}, ${failReasons.label}, ${failReasons.archivedAt}, ${failReasons.position}
      order by failed desc, ${failReasons.position}, ${inspectionFailReasons.reasonId}`),
  );
}

// --- The page -----------------------------------------------------------------------------

/** Everything the KPI page shows, computed exactly from the orders. */
/** Orders in each stage now, overdue and on hold, counted from the orders themselves. */
export async function exactWorkInProgress(db: Executor, actor: Actor, filter: Pick<KpiFilter, "storeId">, now = new Date()) {
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
  return nowFrom(rows);
}

export const exactKpiReport = (db: Executor, actor: Actor, filter: KpiFilter, now = new Date()) =>
  assembleKpiReport(
    { delivery: exactDeliveryFigures, quality: exactQualityRows, stages: exactStageFigures, weeks: exactOnTimeWeeks, reasons: exactFailReasonFigures, now: exactWorkInProgress },
    db,
    actor,
    filter,
    now,
  );
