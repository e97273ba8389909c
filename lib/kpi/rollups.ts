import "server-only";
import { type SQL, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { inspectionFailReasons, inspections, kpiDaily, kpiDurations, kpiDurationsWeekly, kpiFailReasonsDaily, kpiStageDaily, orders, stageEntries } from "@/db/schema";
import { failsOfOrder, onTime, productionSeconds, receivedBad, stageSeconds } from "./sql";

/**
 * Daily KPI rollups per store (db/schema.ts: kpi_daily, kpi_stage_daily, kpi_durations,
 * kpi_fail_reasons_daily), so the
 * KPI page reads a few thousand rows whatever the number of orders. Each figure's source rows
 * are written once below, as a grouped SELECT over the base tables with the definitions of
 * ./sql.ts; the rebuild runs it over everything, the commands (lib/orders/commands.ts) over the
 * one row they just wrote, in the same transaction, adding to what is there.
 *
 * Medians and 90th percentiles come from histograms with buckets 2 % wide (1.02^b seconds),
 * each keeping its smallest and largest duration: an order statistic is placed between those by
 * its rank in the bucket, so it is within 2 % of the exact one (exact when the bucket holds a
 * single value), and so is percentile_cont's interpolation between two of them.
 */

export const BUCKET_RATIO = 1.02;
const bucketOf = (seconds: SQL) => sql`floor(ln(greatest(${seconds}, 1)) / ln(${sql.raw(String(BUCKET_RATIO))}))::smallint`;
const utcDay = (col: SQL | unknown) => sql`(${col} at time zone 'UTC')::date`;
/** The Monday of a day's week. */
const weekOf = (day: SQL) => sql`date_trunc('week', ${day}::timestamp)::date`;

// --- The sources: one grouped SELECT per table, narrowed by `where` ------------------------------

/** Completed orders by the day they were received. */
const deliverySource = (where: SQL) => sql`
  select ${utcDay(orders.receivedAt)} as day, ${orders.storeId} as store_id,
    count(*)::int as completed,
    count(${orders.submittedAt})::int as timed,
    coalesce(sum(${productionSeconds}), 0)::float8 as production_seconds,
    count(${orders.requiredDeliveryDate})::int as with_due,
    (count(*) filter (where ${onTime}))::int as on_time,
    count(${orders.customerRating})::int as rated,
    coalesce(sum(${orders.customerRating}), 0)::int as rating_sum,
    (count(*) filter (where fails.n = 0))::int as first_pass,
    coalesce(sum(fails.n), 0)::int as reworks_of_received,
    (count(*) filter (where ${receivedBad}))::int as received_bad
  from ${orders} cross join ${failsOfOrder}
  where ${orders.state} = 'completed' and ${orders.receivedAt} is not null and ${where}
  group by 1, 2`;

/** Inspections by the day they were recorded; an order's first is the earliest, ties by id. */
const inspectionSource = (where: SQL) => sql`
  select ${utcDay(sql`i.created_at`)} as day, o.store_id,
    (count(*) filter (where i.first))::int as first_inspected,
    (count(*) filter (where i.first and i.result = 'pass'))::int as first_passed,
    (count(*) filter (where i.result = 'fail'))::int as failed_inspections
  from (
    select ${inspections.id}, ${inspections.orderId} as order_id, ${inspections.createdAt} as created_at, ${inspections.result} as result,
      not exists (select 1 from inspections e where e.order_id = ${inspections.orderId}
        and (e.created_at < ${inspections.createdAt} or (e.created_at = ${inspections.createdAt} and e.id < ${inspections.id}))) as first
    from ${inspections} where ${where}
  ) i
  join ${orders} o on o.id = i.order_id
  group by 1, 2`;

/** Failed inspections by the day they were recorded, once per reason they name. */
const failReasonSource = (where: SQL) => sql`
  select ${utcDay(inspectionFailReasons.createdAt)} as day, o.store_id, ${inspectionFailReasons.reasonId} as reason_id, count(*)::int as failed
  from ${inspectionFailReasons} join ${orders} o on o.id = ${inspectionFailReasons.orderId}
  where ${where}
  group by 1, 2, 3`;

/** Completed stage entries of orders not cancelled, by the day they completed. */
const stageRows = (where: SQL, notCancelled = sql`${orders.state} <> 'cancelled'`) => sql`
  select ${utcDay(stageEntries.completedAt)} as day, ${orders.storeId} as store_id, ${stageEntries.stage} as stage,
    ${stageSeconds} as s, ${stageEntries.completedAt} > ${stageEntries.dueAt} as late
  from ${stageEntries} join ${orders} on ${orders.id} = ${stageEntries.orderId}
  where ${stageEntries.completedAt} is not null and ${notCancelled} and ${where}`;

const stageSource = (rows: SQL) => sql`
  select day, store_id, stage, count(*)::int as entries, sum(s)::float8 as seconds, (count(*) filter (where late))::int as late
  from (${rows}) r group by 1, 2, 3`;

/** Durations: production time of completed orders with a submission time, and stage entries. */
const durationRows = (orderWhere: SQL | null, entries: SQL | null) => sql.join(
  [
    orderWhere &&
      sql`select ${utcDay(orders.receivedAt)} as day, ${orders.storeId} as store_id, 'production' as metric, ${productionSeconds} as s
        from ${orders} where ${orders.state} = 'completed' and ${orders.receivedAt} is not null and ${orders.submittedAt} is not null and ${orderWhere}`,
    entries && sql`select day, store_id, stage as metric, s from (${entries}) e`,
  ].filter((q): q is SQL => q !== null),
  sql` union all `,
);

const durationSource = (rows: SQL) => sql`
  select day, store_id, metric, ${bucketOf(sql`s`)} as bucket, count(*)::int as n, min(s)::float8 as lo, max(s)::float8 as hi
  from (${rows}) d group by 1, 2, 3, 4`;

// --- Adding and removing --------------------------------------------------------------------

const addTo = {
  daily: (source: SQL, columns: string[]) => sql`
    insert into ${kpiDaily} (day, store_id, ${sql.raw(columns.join(", "))})
    select day, store_id, ${sql.raw(columns.join(", "))} from (${source}) s
    on conflict (day, store_id) do update set ${sql.raw(columns.map((c) => `${c} = kpi_daily.${c} + excluded.${c}`).join(", "))}`,
  stages: (source: SQL) => sql`
    insert into ${kpiStageDaily} (day, store_id, stage, entries, seconds, late)
    select day, store_id, stage, entries, seconds, late from (${source}) s
    on conflict (day, store_id, stage) do update set entries = kpi_stage_daily.entries + excluded.entries,
      seconds = kpi_stage_daily.seconds + excluded.seconds, late = kpi_stage_daily.late + excluded.late`,
  failReasons: (source: SQL) => sql`
    insert into ${kpiFailReasonsDaily} (day, store_id, reason_id, failed)
    select day, store_id, reason_id, failed from (${source}) s
    on conflict (day, store_id, reason_id) do update set failed = kpi_fail_reasons_daily.failed + excluded.failed`,
  /** Into the daily histograms and, summed per week, the weekly ones, in one statement. */
  durations: (source: SQL) => sql`
    with s as (${source}), daily as (
      insert into ${kpiDurations} (day, store_id, metric, bucket, n, lo, hi)
      select day, store_id, metric, bucket, n, lo, hi from s
      on conflict (day, store_id, metric, bucket) do update set n = kpi_durations.n + excluded.n,
        lo = least(kpi_durations.lo, excluded.lo), hi = greatest(kpi_durations.hi, excluded.hi)
    )
    insert into ${kpiDurationsWeekly} (week, store_id, metric, bucket, n, lo, hi)
    select ${weekOf(sql`day`)}, store_id, metric, bucket, sum(n)::int, min(lo), max(hi) from s group by 1, 2, 3, 4
    on conflict (week, store_id, metric, bucket) do update set n = kpi_durations_weekly.n + excluded.n,
      lo = least(kpi_durations_weekly.lo, excluded.lo), hi = greatest(kpi_durations_weekly.hi, excluded.hi)`,
};

const deliveryColumns = ["completed", "timed", "production_seconds", "with_due", "on_time", "rated", "rating_sum", "first_pass", "reworks_of_received", "received_bad"];
const inspectionColumns = ["first_inspected", "first_passed", "failed_inspections"];

/** An order was just completed (received): its delivery figures and production time. */
export async function rollupCompletedOrder(tx: Executor, orderId: number) {
  const where = sql`${orders.id} = ${orderId}`;
  await tx.execute(addTo.daily(deliverySource(where), deliveryColumns));
  await tx.execute(addTo.durations(durationSource(durationRows(where, null))));
}

/** A stage entry was just completed. */
export async function rollupStageEntry(tx: Executor, entryId: number) {
  const rows = stageRows(sql`${stageEntries.id} = ${entryId}`);
  await tx.execute(addTo.stages(stageSource(rows)));
  await tx.execute(addTo.durations(durationSource(durationRows(null, rows))));
}

/** An inspection was just recorded, with the fail reasons it names (written before this). */
export async function rollupInspection(tx: Executor, inspectionId: number) {
  await tx.execute(addTo.daily(inspectionSource(sql`${inspections.id} = ${inspectionId}`), inspectionColumns));
  await tx.execute(addTo.failReasons(failReasonSource(sql`${inspectionFailReasons.inspectionId} = ${inspectionId}`)));
}

/**
 * An order is being cancelled: its completed stage entries leave the stage times. Call before
 * its open entry is closed. The histogram buckets keep their smallest and largest durations,
 * which still bound what is left in them, so the 2 % bound holds.
 */
export async function unrollCancelledOrder(tx: Executor, orderId: number) {
  // Whatever the order's state by now: these are the entries that were counted.
  const rows = stageRows(sql`${stageEntries.orderId} = ${orderId}`, sql`true`);
  await tx.execute(sql`
    update ${kpiStageDaily} k set entries = k.entries - s.entries, seconds = k.seconds - s.seconds, late = k.late - s.late
    from (${stageSource(rows)}) s where k.day = s.day and k.store_id = s.store_id and k.stage = s.stage`);
  await tx.execute(sql`
    with s as (${durationSource(durationRows(null, rows))}), daily as (
      update ${kpiDurations} k set n = k.n - s.n
      from s where k.day = s.day and k.store_id = s.store_id and k.metric = s.metric and k.bucket = s.bucket
    )
    update ${kpiDurationsWeekly} k set n = k.n - w.n
    from (select ${weekOf(sql`day`)} as week, store_id, metric, bucket, sum(n)::int as n from s group by 1, 2, 3, 4) w
    where k.week = w.week and k.store_id = w.store_id and k.metric = w.metric and k.bucket = w.bucket`);
}

/** Recomputes every rollup from the base tables, in one transaction (`npm run kpi:rebuild`, the seed). */
export async function rebuildKpiRollups(db: Executor) {
  const all = sql`true`;
  await db.execute(sql`delete from ${kpiDaily} where true`);
  await db.execute(sql`delete from ${kpiStageDaily} where true`);
  await db.execute(sql`delete from ${kpiDurations} where true`);
  await db.execute(sql`delete from ${kpiDurationsWeekly} where true`);
  await db.execute(sql`delete from ${kpiFailReasonsDaily} where true`);
  await db.execute(addTo.daily(deliverySource(all), deliveryColumns));
  await db.execute(addTo.daily(inspectionSource(all), inspectionColumns));
  await db.execute(addTo.failReasons(failReasonSource(all)));
  await db.execute(addTo.stages(stageSource(stageRows(all))));
  await db.execute(addTo.durations(durationSource(durationRows(all, stageRows(all)))));
  await db.execute(sql`analyze kpi_daily, kpi_stage_daily, kpi_durations, kpi_durations_weekly, kpi_fail_reasons_daily`);
}

// --- Reading a percentile from the histogram -------------------------------------------------

export type Bucket = { bucket: number; n: number; lo: number; hi: number };

/**
 * percentile_cont(p) over the histogram (buckets in ascending order): the position p·(N−1)
 * between two order statistics, each placed in its bucket by rank between the bucket's
 * smallest and largest duration.
 */
export function histogramPercentile(buckets: Bucket[], p: number): number | null {
  const total = buckets.reduce((sum, b) => sum + b.n, 0);
  if (total <= 0) return null;
  const at = (rank: number) => {
    let before = 0;
    for (const b of buckets) {
      if (b.n <= 0) continue;
      if (rank < before + b.n) {
        const i = rank - before;
        return b.n === 1 ? b.lo : b.lo + ((b.hi - b.lo) * i) / (b.n - 1);
      }
      before += b.n;
    }
    return buckets[buckets.length - 1].hi;
  };
  const position = p * (total - 1);
  const k = Math.floor(position);
  const low = at(k);
  return k + 1 < total ? low + (position - k) * (at(k + 1) - low) : low;
}
