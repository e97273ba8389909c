import type { EmailMode } from "@/db/schema";
import type { Priority } from "./evaluator";

/**
 * How each account takes each rule's email (pure): the account's choice per topic, else the
 * rule's default. High-priority rules default to immediate; low ones to the daily digest.
 */

export const emailModes = ["immediate", "digest", "none"] as const satisfies readonly EmailMode[];
export const emailModeLabels: Record<EmailMode, string> = {
  immediate: "Email immediately",
  digest: "Daily digest",
  none: "In-app only",
};

/** Notifications due at once to one person above this many go out as one grouped email. */
export const GROUP_THRESHOLD = 3;
/** A grouped email lists at most this many orders, then links to the inbox for the rest. */
export const GROUP_LIST_LIMIT = 50;

export const ruleTopic = (ruleId: number) => `rule:${ruleId}`;
export const MENTION_TOPIC = "mention";

export function defaultEmailMode(priority: Priority): EmailMode {
  return priority === "low" ? "digest" : "immediate";
}

export type Preferences = ReadonlyMap<string, EmailMode>;
export const prefKey = (accountId: number, topic: string) => `${accountId}/${topic}`;

export function emailModeFor(prefs: Preferences, accountId: number, topic: string, priority: Priority): EmailMode {
  return prefs.get(prefKey(accountId, topic)) ?? defaultEmailMode(priority);
}

/** Local wall-clock parts of an instant in a zone. */
function localParts(at: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get("year"), month: get("month"), day: get("day"), hour: get("hour"), minute: get("minute"), second: get("second") };
}

/** The instant a local wall time (in a zone) happens; on a DST gap, the hour after. */
function zonedInstant(year: number, month: number, day: number, hour: number, timeZone: string): Date {
  let guess = Date.UTC(year, month - 1, day, hour);
  for (let i = 0; i < 3; i++) {
    const p = localParts(new Date(guess), timeZone);
    const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    const wanted = Date.UTC(year, month - 1, day, hour);
    guess += wanted - asUtc;
  }
  return new Date(guess);
}

/** When the daily digest next leaves: the next `hour:00` in the account's zone strictly after `now`. */
export function nextDigestAt(now: Date, timeZone: string | null | undefined, hour: number): Date {
  const zone = timeZone || "UTC";
  const p = localParts(now, zone);
  for (let add = 0; add < 3; add++) {
    const d = new Date(Date.UTC(p.year, p.month - 1, p.day + add));
    const at = zonedInstant(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), hour, zone);
    if (at.getTime() > now.getTime()) return at;
  }
  return new Date(now.getTime() + 24 * 3600_000);
}
