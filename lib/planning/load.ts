import "server-only";
import { asc, between, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { shopCalendarRow } from "@/db/queries/calendars";
import { type Order, capacityLoad, capacityRates, orders, workCalendars } from "@/db/schema";
import { aroundTheClock, calendarFrom, type WorkCalendar } from "@/lib/time/calendar";
import { type CapacityRate, loadDelta, loadStages, orderLoad, takesCapacity } from "./capacity";

/**
 * The load per day (capacity_load), kept like the order counters (decision 022): the kernel moves
 * an order's load in the transaction of every change (`moveCapacityLoad`), a change of the shop's
 * calendar and `npm run kpi:rebuild` recompute it with `exactCapacityLoad`, the spreading of
 * lib/planning/capacity.ts written in SQL, which is also what the tests hold the rollup to.
 */

/** The shop's calendar (the one production works on). */
export async function shopCalendar(db: Executor): Promise<WorkCalendar> {
  const { calendar, timeZone } = await shopCalendarRow(db);
  return calendar ? calendarFrom(timeZone, calendar.week, calendar.holidays) : aroundTheClock(timeZone);
}

/**
 * The load per day as it should be, from the orders and the shop's calendar: each order that takes
 * capacity spreads its quantity over its schedule's working days (all its days when none is),
 * ⌊q/n⌋ a day and one more on the first q mod n.
 */
export const exactCapacityLoad = sql`
  with cal as (select week, holidays from ${workCalendars} where store_id is null),
  o as (
    select id, (fields ->> 'orderQuantity')::int as q, (fields #>> '{productionSchedule,start}')::date as s, (fields #>> '{productionSchedule,end}')::date as e
    from ${orders}
    where state = 'active' and stage in ${sql.raw(`(${loadStages.map((s) => `'${s}'`).join(",")})`)}
      and jsonb_typeof(fields -> 'orderQuantity') = 'number' and fields #>> '{productionSchedule,start}' is not null and fields #>> '{productionSchedule,end}' is not null
  ),
  d as (
    select o.id, o.q, g::date as day,
      (not exists (select 1 from cal) or exists (
        select 1 from cal where jsonb_typeof(cal.week -> extract(dow from g)::int) = 'object' and not cal.holidays ? to_char(g, 'YYYY-MM-DD')
      )) as working
    from o cross join lateral generate_series(o.s::timestamp, o.e::timestamp, interval '1 day') g
  ),
  k as (
    select id, q, day from d where working
    union all
    select id, q, day from d where not exists (select 1 from d w where w.id = d.id and w.working)
  ),
  r as (select id, q, day, row_number() over (partition by id order by day) as rn, count(*) over (partition by id) as n from k)
  select day, sum(q / n + case when rn <= q % n then 1 else 0 end)::int as units from r group by day having sum(q / n + case when rn <= q % n then 1 else 0 end) <> 0`;

/** Recomputes the load per day from the orders (after a bulk load, a change of the shop's calendar, or to repair it). */
export async function rebuildCapacityLoad(db: Executor) {
  await db.execute(sql`delete from ${capacityLoad} where true`);
  await db.execute(sql`insert into ${capacityLoad} (day, units) ${exactCapacityLoad}`);
}

/**
 * An order changed: its load moves from what it took before to what it takes now. The rows are
 * written in day order in one statement, so two commands lock the days they share in the same
 * order. Nothing to do (and no calendar read) when neither takes capacity or its load is unchanged.
 */
export async function moveCapacityLoad(tx: Executor, before: Pick<Order, "stage" | "state" | "fields"> | null, after: Pick<Order, "stage" | "state" | "fields">) {
  const was = before !== null && takesCapacity(before);
  const is = takesCapacity(after);
  if (!was && !is) return;
  const b = before?.fields;
  const a = after.fields;
  if (was && is && b?.orderQuantity === a.orderQuantity && b?.productionSchedule?.start === a.productionSchedule?.start && b?.productionSchedule?.end === a.productionSchedule?.end) return;
  const cal = await shopCalendar(tx);
  const delta = loadDelta(before ? orderLoad(cal, before) : new Map(), orderLoad(cal, after));
  if (!delta.length) return;
  await tx
    .insert(capacityLoad)
    .values(delta.map(([day, units]) => ({ day, units })))
    .onConflictDoUpdate({ target: capacityLoad.day, set: { units: sql`${capacityLoad.units} + excluded.units` } });
}

/** The load per day from `from` to `to` (YYYY-MM-DD, included), from the rollup: one index range. */
export async function loadBetween(db: Executor, from: string, to: string): Promise<Map<string, number>> {
  const rows = await db.select({ day: capacityLoad.day, units: capacityLoad.units }).from(capacityLoad).where(between(capacityLoad.day, from, to)).orderBy(asc(capacityLoad.day));
  return new Map(rows.filter((r) => r.units !== 0).map((r) => [r.day, r.units]));
}

/** The shop's capacity rates, oldest first. */
export async function capacityRateRows(db: Executor) {
  return db.select().from(capacityRates).orderBy(asc(capacityRates.effectiveFrom));
}

export const ratesOf = (rows: { effectiveFrom: string; unitsPerDay: number }[]): CapacityRate[] => rows.map((r) => ({ from: r.effectiveFrom, units: r.unitsPerDay }));
