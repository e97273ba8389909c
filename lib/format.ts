/**
 * Display formatting shared by pages and emails: one date format everywhere ("9 Dec 2026"), and
 * times in the viewer's time zone with the zone named ("9 Dec 2026, 14:05 CET"). Calendar dates
 * (YYYY-MM-DD, such as the Required Delivery Date) have no zone and are shown as they are.
 */

export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60 ? `${minutes % 60} min` : ""}`.trim();
  const days = Math.floor(hours / 24);
  return `${days} d ${hours % 24 ? `${hours % 24} h` : ""}`.trim();
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
function dateTimeFormat(timeZone: string) {
  let f = dateTimeFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone, timeZoneName: "short" });
    dateTimeFormats.set(timeZone, f);
  }
  return f;
}
const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

/** An instant in `timeZone` (UTC when none is known), naming the zone: "9 Dec 2026, 14:05 CET". */
export function formatDateTime(d: Date | string, timeZone = "UTC"): string {
  const parts = dateTimeFormat(timeZone).formatToParts(new Date(d));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("day")} ${get("month")} ${get("year")}, ${get("hour")}:${get("minute")} ${get("timeZoneName")}`;
}

/** A calendar date, or the date of an instant in UTC: "9 Dec 2026". */
export const formatDate = (d: Date | string) => dateFormat.format(typeof d === "string" && d.length === 10 ? new Date(`${d}T00:00:00Z`) : new Date(d));

export function formatRelative(d: Date, now = new Date()): string {
  const diff = d.getTime() - now.getTime();
  return diff >= 0 ? `in ${formatDuration(diff)}` : `${formatDuration(-diff)} ago`;
}

const MB = 1024 * 1024;

/** "4 MB", "2.5 MB", "300 KB". */
export function formatBytes(bytes: number): string {
  if (bytes >= MB) return `${Math.round((bytes / MB) * 10) / 10} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
