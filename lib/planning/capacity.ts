import { type WorkCalendar, workingInterval } from "@/lib/time/calendar";
import { addDays } from "@/lib/time/zones";
import { type FieldValues, type OrderState, type StageKey, capacityStages } from "@/lib/workflow";

/**
 * Planning with capacity (SPEC.md; decision 027), the pure half: the shop makes so many units per
 * working day of its calendar, from dated rates; an order's load is its quantity spread over the
 * working days of its Production Schedule. The database keeps the load per day
 * (`capacity_load`, lib/planning/load.ts) with the same spreading written in SQL, and
 * tests/capacity-load.test.ts holds the two equal.
 *
 * - Units are whole: q units over n working days put ⌊q/n⌋ on each and one more on the first
 *   q mod n, so the sum is q and SQL and TypeScript agree to the unit.
 * - A schedule with no working day in it (a weekend job) spreads over all of its days.
 */

/** A rate from a day on (YYYY-MM-DD): the shop's units per working day until the next one. */
export type CapacityRate = { from: string; units: number };

/** The stages whose orders take capacity (lib/workflow's, where the queries read it too). */
export const loadStages = capacityStages;

/** Does the order take capacity now: active, in a planning or production stage, with a schedule and a quantity? */
export function takesCapacity(order: { stage: StageKey; state: OrderState; fields: FieldValues }): boolean {
  const f = order.fields;
  return order.state === "active" && loadStages.includes(order.stage) && !!f.productionSchedule?.start && !!f.productionSchedule?.end && typeof f.orderQuantity === "number";
}

export const isWorkingDay = (cal: WorkCalendar, day: string) => workingInterval(cal, day) !== null;

/** The days from `from` to `to`, both included (YYYY-MM-DD). */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** The rate in force on a day; null before the first one (the shop has set no capacity). */
export function rateOn(rates: readonly CapacityRate[], day: string): number | null {
  let units: number | null = null;
  for (const r of rates) if (r.from <= day) units = r.units;
  return units;
}

/** The shop's capacity on a day: the rate on a working day, 0 on a day off, null with no rate yet. */
export function capacityOn(cal: WorkCalendar, rates: readonly CapacityRate[], day: string): number | null {
  const rate = rateOn([...rates].sort((a, b) => a.from.localeCompare(b.from)), day);
  if (rate === null) return null;
  return isWorkingDay(cal, day) ? rate : 0;
}

/** Whole shares of `quantity` over `n` days, in day order: ⌊q/n⌋ each, one more on the first q mod n. */
export function shares(quantity: number, n: number): number[] {
  const base = Math.floor(quantity / n);
  const extra = quantity % n;
  return Array.from({ length: n }, (_, i) => base + (i < extra ? 1 : 0));
}

/** An order's load per day: its quantity over the working days of start → end (all its days when none is working). */
export function spreadLoad(cal: WorkCalendar, quantity: number, start: string, end: string): Map<string, number> {
  const all = daysBetween(start, end);
  const working = all.filter((d) => isWorkingDay(cal, d));
  const days = working.length ? working : all;
  const out = new Map<string, number>();
  if (!days.length) return out;
  shares(quantity, days.length).forEach((u, i) => {
    if (u) out.set(days[i], u);
  });
  return out;
}

/** The load an order takes as it stands (empty when it takes none). */
export function orderLoad(cal: WorkCalendar, order: { stage: StageKey; state: OrderState; fields: FieldValues }): Map<string, number> {
  if (!takesCapacity(order)) return new Map();
  const s = order.fields.productionSchedule!;
  return spreadLoad(cal, order.fields.orderQuantity!, s.start, s.end);
}

/** The change in load per day from `before` to `after`, days in order, zeros left out. */
export function loadDelta(before: Map<string, number>, after: Map<string, number>): [string, number][] {
  const out = new Map<string, number>();
  for (const [d, u] of before) out.set(d, (out.get(d) ?? 0) - u);
  for (const [d, u] of after) out.set(d, (out.get(d) ?? 0) + u);
  return [...out].filter(([, u]) => u !== 0).sort(([a], [b]) => a.localeCompare(b));
}

/** How many working days start → end holds (the length a schedule is kept at when it moves). */
export const workingDaysIn = (cal: WorkCalendar, start: string, end: string) => Math.max(1, daysBetween(start, end).filter((d) => isWorkingDay(cal, d)).length);

export type Overload = { day: string; load: number; capacity: number };

/**
 * The days a new load overloads: where the others' load plus this order's exceeds the capacity.
 * `others` is the load without this order. No capacity set: nothing is overloaded.
 */
export function overloads(cal: WorkCalendar, rates: readonly CapacityRate[], others: (day: string) => number, mine: Map<string, number>): Overload[] {
  const out: Overload[] = [];
  for (const [day, units] of [...mine].sort(([a], [b]) => a.localeCompare(b))) {
    const capacity = capacityOn(cal, rates, day);
    if (capacity === null) continue;
    const load = others(day) + units;
    if (load > capacity) out.push({ day, load, capacity });
  }
  return out;
}

export type Fit = { start: string; end: string; workingDays: number };

/**
 * The earliest planned end for `quantity` units from `from` on, over a run of working days whose
 * length is one of `lengths` (the proposed schedule's, or any when dispatch has none yet), on which
 * every day's load with this order's share stays within capacity. Ties go to the shorter run.
 * Null when the shop has set no capacity, or when nothing fits within `horizon` days (an order
 * larger than any free window).
 */
export function earliestFit(opts: {
  cal: WorkCalendar;
  rates: readonly CapacityRate[];
  load: (day: string) => number;
  quantity: number;
  from: string;
  lengths: readonly number[];
  horizon?: number;
}): Fit | null {
  const { cal, load, quantity, from } = opts;
  const rates = [...opts.rates].sort((a, b) => a.from.localeCompare(b.from));
  if (!rates.length) return null;
  const horizon = opts.horizon ?? 366;
  const last = addDays(from, horizon);
  const working = daysBetween(from, last).filter((d) => isWorkingDay(cal, d));
  // What is left of each working day's capacity.
  const free = working.map((d) => (rateOn(rates, d) ?? 0) - load(d));
  let best: Fit | null = null;
  for (const n of [...new Set(opts.lengths)].filter((n) => n >= 1).sort((a, b) => a - b)) {
    const share = shares(quantity, n);
    for (let i = 0; i + n <= working.length; i++) {
      const end = working[i + n - 1];
      if (best && end >= best.end) break;
      if (share.every((u, k) => u <= free[i + k])) {
        best = { start: working[i], end, workingDays: n };
        break;
      }
    }
  }
  return best;
}

/** The lengths worth trying when dispatch has proposed none: from the fewest days the rate allows to `most`. */
export function anyLength(quantity: number, rates: readonly CapacityRate[], most = 60): number[] {
  const top = Math.max(0, ...rates.map((r) => r.units));
  const fewest = top > 0 ? Math.max(1, Math.ceil(quantity / top)) : 1;
  return Array.from({ length: Math.max(1, most - fewest + 1) }, (_, i) => fewest + i);
}
