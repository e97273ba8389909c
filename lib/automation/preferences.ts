import type { EmailMode } from "@/db/schema";
import { nextLocalHour } from "@/lib/time/zones";
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

/** When the daily digest next leaves: the next `hour:00` in the account's zone strictly after `now`. */
export function nextDigestAt(now: Date, timeZone: string | null | undefined, hour: number): Date {
  return nextLocalHour(now, timeZone || "UTC", hour);
}
