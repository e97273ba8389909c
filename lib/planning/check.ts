import "server-only";
import type { Executor } from "@/db/client";
import type { Order } from "@/db/schema";
import { formatDate } from "@/lib/format";
import { type WorkCalendar, zoneToday } from "@/lib/time/calendar";
import { addDays } from "@/lib/time/zones";
import type { FieldValues } from "@/lib/workflow";
import { type CapacityRate, type Fit, type Overload, anyLength, capacityOn, daysBetween, earliestFit, isWorkingDay, orderLoad, spreadLoad, takesCapacity, workingDaysIn } from "./capacity";
import { capacityRateRows, loadBetween, ratesOf, shopCalendar } from "./load";

/**
 * Where dispatch decides (SPEC.md "Planning with capacity"): the load around a proposed
 * schedule, the earliest planned end that fits, and the question a schedule that overloads a day
 * asks. All read the rollup (capacity_load) for a bounded range of days, less the order's own load.
 */

/** How far ahead the earliest fit is looked for. */
export const FIT_HORIZON_DAYS = 366;

export type Planning = { cal: WorkCalendar; rates: CapacityRate[]; today: string; others: (day: string) => number };

/** The calendar, the rates and the load of every other order from `from` to `to`. */
export async function planningFor(db: Executor, order: Pick<Order, "stage" | "state" | "fields"> | null, from: string, to: string, now: Date): Promise<Planning> {
  const [cal, rateRows] = await Promise.all([shopCalendar(db), capacityRateRows(db)]);
  const load = await loadBetween(db, from, to);
  const mine = order ? orderLoad(cal, order) : new Map<string, number>();
  return { cal, rates: ratesOf(rateRows), today: zoneToday(cal.zone, now), others: (d) => (load.get(d) ?? 0) - (mine.get(d) ?? 0) };
}

/** The earliest planned end for the order's quantity from today: at the schedule's length, or at any when none is given. */
export function fitFor(p: Planning, quantity: number, schedule?: { start: string; end: string }): Fit | null {
  const lengths = schedule ? [workingDaysIn(p.cal, schedule.start, schedule.end)] : anyLength(quantity, p.rates);
  return earliestFit({ cal: p.cal, rates: p.rates, load: p.others, quantity, from: p.today, lengths, horizon: FIT_HORIZON_DAYS });
}

const overloadText = (o: Overload[]) =>
  o
    .slice(0, 3)
    .map((x) => `${formatDate(x.day)} (${x.load} of ${x.capacity} units)`)
    .join(", ") + (o.length > 3 ? ` and ${o.length - 3} more day${o.length > 4 ? "s" : ""}` : "");

/**
 * A schedule (or quantity) change on an order that takes capacity: the days where it adds load
 * to a day over capacity. Unconfirmed, the command refuses with a field message that names them
 * and the earliest planned end that fits; confirmed, it returns the note the history records.
 */
export async function scheduleCheck(
  db: Executor,
  order: Order,
  after: Pick<Order, "stage" | "state"> & { fields: FieldValues },
  confirmed: boolean,
  now: Date,
): Promise<{ errors?: Record<string, string[]>; note?: string }> {
  if (!takesCapacity(after)) return {};
  const next = after.fields;
  const s = next.productionSchedule!;
  const [cal, rateRows] = await Promise.all([shopCalendar(db), capacityRateRows(db)]);
  const rates = ratesOf(rateRows);
  if (!rates.length) return {};
  const before = orderLoad(cal, order);
  const mine = spreadLoad(cal, next.orderQuantity!, s.start, s.end);
  const days = [...mine.keys()].sort();
  const load = await loadBetween(db, days[0], days[days.length - 1]);
  const over: Overload[] = [];
  for (const day of days) {
    const units = mine.get(day)!;
    if (units <= (before.get(day) ?? 0)) continue;
    const capacity = capacityOn(cal, rates, day);
    const total = (load.get(day) ?? 0) - (before.get(day) ?? 0) + units;
    if (capacity !== null && total > capacity) over.push({ day, load: total, capacity });
  }
  if (!over.length) return {};
  if (confirmed) return { note: `Confirmed over capacity: ${overloadText(over)}` };
  const today = zoneToday(cal.zone, now);
  const p = await planningFor(db, order, today, addDays(today, FIT_HORIZON_DAYS), now);
  const fit = fitFor(p, next.orderQuantity!, s);
  const suggestion = fit ? `Earliest planned end that fits: ${formatDate(fit.end)} (start ${formatDate(fit.start)}).` : "No run of this length fits within a year: spread it over more days.";
  return { errors: { "productionSchedule.confirmOverload": [`This schedule overloads ${overloadText(over)}. ${suggestion} Tick “Confirm a schedule over capacity” to keep it.`] } };
}

export type DayLoad = { day: string; load: number; mine: number; capacity: number | null; working: boolean };
export type CapacityAround = { days: DayLoad[]; fit: Fit | null; ratesSet: boolean; requiredDeliveryDate: string | null };

/**
 * The stage panel: the days around the proposed schedule (or the next two weeks without one),
 * each with the others' load, this order's share and the capacity, and the earliest planned end
 * that fits.
 */
export async function capacityAround(db: Executor, order: Order, now: Date): Promise<CapacityAround> {
  const cal = await shopCalendar(db);
  const today = zoneToday(cal.zone, now);
  const s = order.fields.productionSchedule;
  const from = s ? addDays(s.start < today ? s.start : today, -3) : today;
  const to = s ? addDays(s.end, 3) : addDays(today, 13);
  const shown = s && daysBetween(from, to).length > 42 ? daysBetween(from, addDays(from, 41)) : daysBetween(from, to);
  const horizon = addDays(today, FIT_HORIZON_DAYS);
  const last = shown[shown.length - 1];
  const p = await planningFor(db, order, shown[0] < today ? shown[0] : today, last > horizon ? last : horizon, now);
  const mine = s && typeof order.fields.orderQuantity === "number" ? spreadLoad(cal, order.fields.orderQuantity, s.start, s.end) : new Map<string, number>();
  const days = shown.map((day) => ({ day, load: p.others(day), mine: mine.get(day) ?? 0, capacity: capacityOn(cal, p.rates, day), working: isWorkingDay(cal, day) }));
  const fit = typeof order.fields.orderQuantity === "number" ? fitFor(p, order.fields.orderQuantity, s) : null;
  return { days, fit, ratesSet: p.rates.length > 0, requiredDeliveryDate: order.fields.requiredDeliveryDate ?? null };
}

/** The counter-proposal's prefill for a not-feasible order: the earliest planned end that fits, at any length. */
export async function proposalDate(db: Executor, order: Order, now: Date): Promise<string | null> {
  if (typeof order.fields.orderQuantity !== "number") return null;
  const cal = await shopCalendar(db);
  const today = zoneToday(cal.zone, now);
  const p = await planningFor(db, order, today, addDays(today, FIT_HORIZON_DAYS), now);
  return fitFor(p, order.fields.orderQuantity)?.end ?? null;
}

export type ViewDay = { day: string; load: number; capacity: number | null; working: boolean; over: boolean };
export type ViewWeek = { start: string; days: ViewDay[]; load: number; capacity: number | null; over: number };

/** The capacity view: load against capacity by day and week, from this week's Monday, for `weeks` weeks. */
export async function capacityWeeks(db: Executor, now: Date, weeks = 8): Promise<{ today: string; ratesSet: boolean; weeks: ViewWeek[]; zone: string }> {
  const [cal, rateRows] = await Promise.all([shopCalendar(db), capacityRateRows(db)]);
  const rates = ratesOf(rateRows);
  const today = zoneToday(cal.zone, now);
  const monday = addDays(today, -((new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7));
  const last = addDays(monday, weeks * 7 - 1);
  const load = await loadBetween(db, monday, last);
  const out: ViewWeek[] = [];
  for (let w = 0; w < weeks; w++) {
    const days = daysBetween(addDays(monday, w * 7), addDays(monday, w * 7 + 6)).map((day) => {
      const capacity = capacityOn(cal, rates, day);
      const units = load.get(day) ?? 0;
      return { day, load: units, capacity, working: isWorkingDay(cal, day), over: capacity !== null && units > capacity };
    });
    const capacity = rates.length ? days.reduce((n, d) => n + (d.capacity ?? 0), 0) : null;
    out.push({ start: days[0].day, days, load: days.reduce((n, d) => n + d.load, 0), capacity, over: days.filter((d) => d.over).length });
  }
  return { today, ratesSet: rates.length > 0, weeks: out, zone: cal.zone };
}
