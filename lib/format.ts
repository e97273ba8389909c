/** Display formatting shared by pages and emails. */

export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60 ? `${minutes % 60} min` : ""}`.trim();
  const days = Math.floor(hours / 24);
  return `${days} d ${hours % 24 ? `${hours % 24} h` : ""}`.trim();
}

const dateTimeFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const dateFormat = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" });

export const formatDateTime = (d: Date | string) => `${dateTimeFormat.format(new Date(d))} UTC`;
export const formatDate = (d: Date | string) => dateFormat.format(typeof d === "string" && d.length === 10 ? new Date(`${d}T00:00:00Z`) : new Date(d));

export function formatRelative(d: Date, now = new Date()): string {
  const diff = d.getTime() - now.getTime();
  return diff >= 0 ? `in ${formatDuration(diff)}` : `${formatDuration(-diff)} ago`;
}
