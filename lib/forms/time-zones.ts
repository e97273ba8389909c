import { z } from "zod";

/** IANA time zones this runtime knows, for the store and account pickers and their validation. */
export const timeZones: string[] = ["UTC", ...Intl.supportedValuesOf("timeZone").filter((z) => z !== "UTC")];
const known = new Set(timeZones);

/**
 * The picker's own name for a zone, or null when it is none: an alias or another spelling
 * ("US/Pacific", "europe/berlin", "Etc/UTC") becomes the canonical name the picker lists, so a
 * stored zone always shows selected when its form opens again.
 */
export function canonicalTimeZone(value: string): string | null {
  if (value.length > 64) return null;
  try {
    const resolved = new Intl.DateTimeFormat("en", { timeZone: value }).resolvedOptions().timeZone;
    if (known.has(resolved)) return resolved;
    return resolved === "Etc/UTC" || resolved === "Etc/GMT" || resolved === "GMT" ? "UTC" : null;
  } catch {
    return null;
  }
}

export const isTimeZone = (value: string) => canonicalTimeZone(value) !== null;

export const timeZoneSchema = z
  .string({ error: "Choose a time zone" })
  .trim()
  .min(1, "Choose a time zone")
  .transform((value, ctx) => {
    const zone = canonicalTimeZone(value);
    if (zone) return zone;
    ctx.addIssue({ code: "custom", message: "Choose a time zone from the list (an IANA name such as Europe/Berlin)" });
    return z.NEVER;
  });
