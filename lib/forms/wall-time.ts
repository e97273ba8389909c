import { TZDate } from "@date-fns/tz";

/**
 * A date and time as a person types it (a datetime-local input's "YYYY-MM-DDTHH:MM") in a named
 * time zone, and back. The form is drawn with the account's zone and names it in a hidden input,
 * so it works without JavaScript and the server never guesses which zone a wall time meant.
 */

const WALL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** The wall time an instant shows in `zone`, as a datetime-local input takes it; "" for no instant. */
export function wallTimeOf(iso: string, zone: string): string {
  const t = Date.parse(iso);
  if (!iso || Number.isNaN(t)) return "";
  const d = new TZDate(t, zone);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * The instant (ISO) a wall time means in `zone`; anything that is not a wall time (already an
 * instant, or not a date at all) is returned as it was, for the field's schema to judge. A time
 * skipped by a daylight-saving change reads as the same clock time after it.
 */
export function instantOfWallTime(value: string, zone: string): string {
  const m = WALL.exec(value.trim());
  if (!m) return value;
  const [y, mo, d, h, mi, s] = m.slice(1).map((p) => Number(p ?? 0));
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return value;
  const date = TZDate.tz(zone, y, mo - 1, d, h, mi, s);
  // A day past the month's end (2027-02-31) rolls over: leave it for the schema to refuse.
  if (Number.isNaN(date.getTime()) || date.getDate() !== d) return value;
  return new Date(date.getTime()).toISOString();
}
