import { z } from "zod";

/** IANA time zones this runtime knows, for the store and account pickers and their validation. */
export const timeZones: string[] = ["UTC", ...Intl.supportedValuesOf("timeZone").filter((z) => z !== "UTC")];

export function isTimeZone(value: string) {
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return value.length <= 64;
  } catch {
    return false;
  }
}

export const timeZoneSchema = z
  .string({ error: "Choose a time zone" })
  .trim()
  .min(1, "Choose a time zone")
  .refine(isTimeZone, "Choose a time zone from the list (an IANA name such as Europe/Berlin)");
