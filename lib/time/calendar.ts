import { addDays, localDay, parseDay, startOfLocalDay, zonedInstant, zonedParts } from "./zones";

/**
 * Working time, in one place (STYLE.md rule 17; SPEC.md "Clocks that follow the plan and the
 * calendar"): a calendar is working hours per weekday in a time zone, and holidays. Every due
 * time is computed here, when it is written (lib/workflow/clock.ts); the automation pass, the
 * queue, the board and the KPI page compare the stored instants (tests/calendar-clock.test.ts
 * holds the stored times equal to a minute-by-minute oracle).
 *
 * The zone arithmetic is lib/time/zones.ts's (gaps forward, overlaps the later reading), reached
 * only through `wallInstant` and `dayOf` below, so it can change in one place.
 *
 * - Hours count working time: 2 working hours from Friday 16:00, open 08:00–17:00, end Monday 09:00.
 *   A count that ends exactly at closing ends at closing, not at the next opening.
 * - Days count working days, each in proportion to its hours: 1 working day from Monday 10:00 is
 *   Tuesday 10:00; from Saturday it is Monday's closing. A day's hours may differ from another's.
 * - A calendar with no working hours (`week: null`) works around the clock: hours and days are
 *   plain 60-minute hours and 24-hour days, and no day is a holiday.
 */

/** Opening and closing as minutes after local midnight (0–1440, open < close); null: closed that day. */
export type DayHours = { open: number; close: number } | null;

export type WorkCalendar = {
  zone: string;
  /** Seven entries, Sunday first (as Date#getDay); null for a calendar that works around the clock. */
  week: readonly DayHours[] | null;
  /** Days off, YYYY-MM-DD in the calendar's zone. */
  holidays: ReadonlySet<string>;
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Ten years of days: a calendar that opens less often than that has no working time at all. */
const MAX_DAYS = 3660;

export const aroundTheClock = (zone = "UTC"): WorkCalendar => ({ zone, week: null, holidays: new Set() });

// --- The seam to the zone module --------------------------------------------------------------

const dayOf = (instant: number, zone: string) => localDay(instant, zone);
const weekdayOf = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();
function wallInstant(day: string, minutes: number, zone: string): number {
  // 24:00 is the next day's first instant (a skipped midnight: the end of the gap).
  if (minutes >= 1440) return startOfLocalDay(addDays(day, 1), zone).getTime();
  return zonedInstant({ ...parseDay(day), hour: Math.floor(minutes / 60), minute: minutes % 60 }, zone).getTime();
}

// --- Working intervals ------------------------------------------------------------------------

/** The working interval of a local day as instants, or null when the day is no working day. */
export function workingInterval(cal: WorkCalendar, day: string): [number, number] | null {
  if (!cal.week) return [startOfLocalDay(day, cal.zone).getTime(), startOfLocalDay(addDays(day, 1), cal.zone).getTime()];
  if (cal.holidays.has(day)) return null;
  const hours = cal.week[weekdayOf(day)];
  if (!hours) return null;
  const open = wallInstant(day, hours.open, cal.zone);
  const close = wallInstant(day, hours.close, cal.zone);
  // A day whose hours a daylight-saving gap swallows whole has none.
  return close > open ? [open, close] : null;
}

const hasWorkingTime = (cal: WorkCalendar) => !cal.week || cal.week.some((h) => h !== null);

/** Is `instant` inside working hours? */
export function isWorking(cal: WorkCalendar, instant: Date | number): boolean {
  const t = typeof instant === "number" ? instant : instant.getTime();
  const span = workingInterval(cal, dayOf(t, cal.zone));
  return !!span && span[0] <= t && t < span[1];
}

/**
 * Walks the working intervals forward from `start` until `amount` is used up; `measure` says how
 * much of the amount one millisecond of a day's interval is (1 for hours, 1/length for days).
 */
function walkForward(cal: WorkCalendar, start: number, amount: number, measure: (span: [number, number]) => number) {
  let rest = amount;
  let day = dayOf(start, cal.zone);
  for (let i = 0; i < MAX_DAYS; i++, day = addDays(day, 1)) {
    const span = workingInterval(cal, day);
    if (!span || span[1] <= start) continue;
    const from = Math.max(span[0], start);
    const scale = measure(span); // working-time units per millisecond of this day
    const holds = (span[1] - from) * scale;
    if (rest <= holds) return from + Math.round(rest / scale);
    rest -= holds;
  }
  throw new RangeError("The calendar has no working time");
}

function walkBackward(cal: WorkCalendar, end: number, amount: number, measure: (span: [number, number]) => number) {
  let rest = amount;
  let day = dayOf(end, cal.zone);
  for (let i = 0; i < MAX_DAYS; i++, day = addDays(day, -1)) {
    const span = workingInterval(cal, day);
    if (!span || span[0] >= end) continue;
    const to = Math.min(span[1], end);
    const scale = measure(span);
    const holds = (to - span[0]) * scale;
    if (rest <= holds) return to - Math.round(rest / scale);
    rest -= holds;
  }
  throw new RangeError("The calendar has no working time");
}

const perMs = () => 1;
const perDay = (span: [number, number]) => 1 / (span[1] - span[0]);

/** The instant `hours` working hours after `start` (before, for a negative count). */
export function addWorkingHours(cal: WorkCalendar, start: Date, hours: number): Date {
  const ms = hours * HOUR;
  if (!cal.week || !hasWorkingTime(cal)) return new Date(start.getTime() + ms);
  if (ms === 0) return start;
  return new Date(ms > 0 ? walkForward(cal, start.getTime(), ms, perMs) : walkBackward(cal, start.getTime(), -ms, perMs));
}

/** The instant `days` working days after `start` (before, for a negative count); fractions count in proportion to a day's hours. */
export function addWorkingDays(cal: WorkCalendar, start: Date, days: number): Date {
  if (!cal.week || !hasWorkingTime(cal)) return new Date(start.getTime() + days * DAY);
  if (days === 0) return start;
  return new Date(days > 0 ? walkForward(cal, start.getTime(), days, perDay) : walkBackward(cal, start.getTime(), -days, perDay));
}

/**
 * The end of a planned day (YYYY-MM-DD in the calendar's zone): its closing on a working day,
 * otherwise the last millisecond of the day (a plan may end on a day off).
 */
export function endOfPlannedDay(cal: WorkCalendar, day: string): Date {
  const span = cal.week ? workingInterval(cal, day) : null;
  if (span) return new Date(span[1]);
  return new Date(startOfLocalDay(addDays(day, 1), cal.zone).getTime() - 1);
}

/** The local day an instant falls on in the calendar's zone. */
export const calendarDay = (cal: WorkCalendar, instant: Date | number) => dayOf(typeof instant === "number" ? instant : instant.getTime(), cal.zone);

// --- Stored form ------------------------------------------------------------------------------

/** A weekday's hours as stored and edited: "HH:MM" opening and closing ("24:00" closes at midnight). */
export type StoredDayHours = { open: string; close: string } | null;

export const minutesOf = (hhmm: string) => {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new RangeError(`Not a time of day: ${hhmm}`);
  return Number(m[1]) * 60 + Number(m[2]);
};

/** A calendar from its stored form; no stored hours (or none at all) work around the clock. */
export function calendarFrom(zone: string, week: readonly StoredDayHours[] | null | undefined, holidays: readonly string[] = []): WorkCalendar {
  if (!week || week.length !== 7 || week.every((d) => d === null)) return aroundTheClock(zone);
  return { zone, week: week.map((d) => (d ? { open: minutesOf(d.open), close: minutesOf(d.close) } : null)), holidays: new Set(holidays) };
}

/** Today in a zone (for checks such as "not in the past" made against the calendar's day). */
export const zoneToday = (zone: string, now = new Date()) => zonedParts(now, zone).date;
