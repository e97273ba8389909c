import { tzOffset } from "@date-fns/tz";

/**
 * Time-zone arithmetic, in one place (STYLE.md rule 17): wall times in an IANA zone and the
 * instants they mean, with the rules of @date-fns/tz, which are PostgreSQL's
 * (`timestamp 'YYYY-MM-DD HH:MM' at time zone zone`, held equal in tests/time-zones.test.ts):
 *
 * - a wall time that does not exist (skipped by a daylight-saving gap) moves forward by the
 *   length of the gap: 02:30 on the night Berlin springs forward is 03:30 CEST;
 * - a wall time that happens twice (a fall-back overlap) is the later of the two, in standard
 *   time: 02:30 on the night Berlin falls back is 02:30 CET.
 *
 * `startOfLocalDay` is the exception, by design: a day begins at its first instant, so where
 * midnight happens twice it is the earlier one, and where midnight is skipped it is the first
 * instant after the gap.
 *
 * Pure and free of the server: pages, commands, the automation engine and the browser use it.
 * Years are those the app stores (lib/forms/input.ts: 2000–2999), whole days as "YYYY-MM-DD".
 */

/** A wall-clock reading: month 1–12, day 1–31, hour 0–23. */
export type WallTime = { year: number; month: number; day: number; hour?: number; minute?: number; second?: number; millisecond?: number };

/** The wall clock of an instant in a zone, with the weekday (0 Sunday … 6 Saturday) and the offset from UTC in minutes. */
export type ZonedParts = Required<WallTime> & { weekday: number; offsetMinutes: number; date: string };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** "YYYY-MM-DD" → its year, month and day; throws on anything else (the input module checks dates from outside). */
export function parseDay(day: string): { year: number; month: number; day: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new RangeError(`Not a day: ${day}`);
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

export const formatDay = ({ year, month, day }: { year: number; month: number; day: number }) => `${pad(year, 4)}-${pad(month)}-${pad(day)}`;

/** The day `days` after (or before) a day, on the calendar (no zone involved). */
export function addDays(day: string, days: number): string {
  const d = parseDay(day);
  const t = new Date(0);
  t.setUTCFullYear(d.year, d.month - 1, d.day + days);
  return t.toISOString().slice(0, 10);
}

/** The instant a wall time in `zone` means (gaps forward, overlaps the later; see above). */
export function zonedInstant(wall: WallTime | string, zone: string): Date {
  const w = typeof wall === "string" ? parseWall(wall) : wall;
  const asUtc = new Date(0);
  // setUTCFullYear with all three parts: Date.UTC would read years below 100 as 19xx.
  asUtc.setUTCFullYear(w.year, w.month - 1, w.day);
  asUtc.setUTCHours(w.hour ?? 0, w.minute ?? 0, w.second ?? 0, w.millisecond ?? 0);
  const W = asUtc.getTime();
  if (Number.isNaN(W)) throw new RangeError(`Not a wall time: ${JSON.stringify(wall)}`);
  // The offsets a day either side: a zone changes its offset at most once in two days, so a wall
  // time is read with one of them. Each reading that gives back its own offset is a real one.
  const before = tzOffset(zone, new Date(W - DAY));
  const after = tzOffset(zone, new Date(W + DAY));
  if (Number.isNaN(before) || Number.isNaN(after)) throw new RangeError(`Not a time zone: ${zone}`);
  const readings = [...new Set([before, after])].map((o) => W - o * MINUTE).filter((t) => tzOffset(zone, new Date(t)) * MINUTE === W - t);
  // None: the wall time is in a gap, and read with the offset before it, it lands the gap's length later.
  // Two: an overlap, and the later reading is the standard-time one PostgreSQL takes.
  return new Date(readings.length ? Math.max(...readings) : W - before * MINUTE);
}

/** "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS]" (no zone) as a wall time. */
function parseWall(s: string): WallTime {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  if (!m) throw new RangeError(`Not a wall time: ${s}`);
  return { year: +m[1], month: +m[2], day: +m[3], hour: +(m[4] ?? 0), minute: +(m[5] ?? 0), second: +(m[6] ?? 0) };
}

/** The wall clock of `instant` in `zone`. */
export function zonedParts(instant: Date | number, zone: string): ZonedParts {
  const t = typeof instant === "number" ? instant : instant.getTime();
  const offsetMinutes = tzOffset(zone, new Date(t));
  // The zone's wall clock read as if it were UTC: plain Date arithmetic is then exact.
  const wall = new Date(t + offsetMinutes * MINUTE);
  const year = wall.getUTCFullYear();
  const month = wall.getUTCMonth() + 1;
  const day = wall.getUTCDate();
  return {
    year,
    month,
    day,
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
    millisecond: wall.getUTCMilliseconds(),
    weekday: wall.getUTCDay(),
    offsetMinutes,
    date: formatDay({ year, month, day }),
  };
}

/** The day (YYYY-MM-DD) `instant` falls on in `zone`. */
export const localDay = (instant: Date | number, zone: string) => zonedParts(instant, zone).date;

/**
 * The first instant of a day in `zone`: `day` as YYYY-MM-DD, or the day an instant falls on
 * there. Where midnight happens twice, the first; where it is skipped, the end of the gap.
 */
export function startOfLocalDay(day: string | Date, zone: string): Date {
  const date = typeof day === "string" ? day : localDay(day, zone);
  const later = zonedInstant(date, zone);
  // A midnight that happened twice: its first reading carries the offset of the hours before.
  // Transitions are at most a few hours apart from midnight's neighbours, never within 6 hours twice.
  const before = tzOffset(zone, new Date(later.getTime() - 6 * HOUR));
  const { year, month, day: d } = parseDay(date);
  const earlier = Date.UTC(year, month - 1, d) - before * MINUTE;
  if (earlier < later.getTime()) {
    const p = zonedParts(earlier, zone);
    if (p.date === date && p.hour === 0 && p.minute === 0) return new Date(earlier);
  }
  return later;
}

/**
 * The same wall time `days` local days later (or earlier): across a daylight-saving change a
 * local day is 23 or 25 hours. A wall time that the change makes impossible follows the rules above.
 */
export function addLocalDays(instant: Date | number, days: number, zone: string): Date {
  const p = zonedParts(instant, zone);
  return zonedInstant({ ...parseDay(addDays(p.date, days)), hour: p.hour, minute: p.minute, second: p.second, millisecond: p.millisecond }, zone);
}

/** The next time the wall clock in `zone` reads `hour`:00, strictly after `now`. */
export function nextLocalHour(now: Date, zone: string, hour: number): Date {
  const today = localDay(now, zone);
  for (let add = 0; add < 3; add++) {
    const at = zonedInstant({ ...parseDay(addDays(today, add)), hour }, zone);
    if (at.getTime() > now.getTime()) return at;
  }
  // Unreachable for a real zone: a local day is never longer than 26 hours.
  return new Date(now.getTime() + 24 * HOUR);
}
