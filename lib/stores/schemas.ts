import { z } from "zod";
import { checkboxSchema } from "@/lib/forms/fields";
import { isoDateSchema, textSchema } from "@/lib/forms/input";
import { timeZoneSchema } from "@/lib/forms/time-zones";
import { idSchema } from "@/lib/workflow";

/** Inputs of /admin/stores, shared by its forms and commands. */

const nameSchema = textSchema({ min: 1, max: 100, singleLine: true, tooShort: "Enter the store's name", tooLong: "Keep the name under 100 characters", notText: "Enter the store's name" });

export const createStoreSchema = z.object({
  code: z
    .string({ error: "Enter a short code" })
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9-]{1,31}$/, "Use 2–32 lower-case letters, digits and dashes, e.g. east-side"),
  name: nameSchema,
  timeZone: timeZoneSchema,
});
export type CreateStoreInput = z.input<typeof createStoreSchema>;

export const updateStoreSchema = z.object({ storeId: idSchema, name: nameSchema, timeZone: timeZoneSchema });
export type UpdateStoreInput = z.input<typeof updateStoreSchema>;

/** `confirmed`: the second press, after the form asked about the store's open orders. */
export const archiveStoreSchema = z.object({ storeId: idSchema, archived: checkboxSchema, confirmed: checkboxSchema.optional() });
export type ArchiveStoreInput = z.input<typeof archiveStoreSchema>;

// --- Working calendars (/admin/calendars) ------------------------------------------------------

/** The weekdays of a calendar's form, Sunday first as lib/time/calendar.ts counts them. */
export const weekdays = [
  { key: "sun", label: "Sunday" },
  { key: "mon", label: "Monday" },
  { key: "tue", label: "Tuesday" },
  { key: "wed", label: "Wednesday" },
  { key: "thu", label: "Thursday" },
  { key: "fri", label: "Friday" },
  { key: "sat", label: "Saturday" },
] as const;

const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const timeOfDay = z
  .string()
  .max(10)
  .trim()
  .optional()
  .transform((s) => s ?? "")
  .refine((s) => s === "" || TIME_OF_DAY.test(s), "Enter a time such as 08:00");

/** One weekday: opening and closing, both empty for a day off. */
const dayHoursSchema = z
  .object({ open: timeOfDay, close: timeOfDay })
  .nullish()
  .transform((d) => d ?? { open: "", close: "" })
  .superRefine((d, ctx) => {
    if (!d.open && !d.close) return;
    if (!d.open) ctx.addIssue({ code: "custom", path: ["open"], message: "Enter the opening time, or leave both empty for a day off" });
    else if (!d.close) ctx.addIssue({ code: "custom", path: ["close"], message: "Enter the closing time, or leave both empty for a day off" });
    else if (d.close <= d.open || d.open === "24:00") ctx.addIssue({ code: "custom", path: ["close"], message: "Closing must be after opening" });
  })
  .transform((d) => (d.open && d.close ? { open: d.open, close: d.close } : null));

/** Holidays as typed: dates (YYYY-MM-DD) separated by commas, spaces or lines; sorted, each once. */
const holidaysSchema = z
  .preprocess((v) => (Array.isArray(v) ? v.join("\n") : v), z.string().max(20_000, "Keep the list under 1,000 days").optional())
  .transform((raw, ctx) => {
    const parts = (raw ?? "").split(/[\s,;]+/).filter(Boolean);
    const bad = parts.filter((p) => !isoDateSchema.safeParse(p).success);
    if (bad.length) {
      ctx.addIssue({ code: "custom", message: `Not a date (YYYY-MM-DD): ${bad.slice(0, 5).join(", ")}${bad.length > 5 ? " …" : ""}` });
      return z.NEVER;
    }
    return [...new Set(parts)].sort();
  });

/**
 * A calendar as the admin form sends it: the shop's (no store) or a store's, seven weekdays and
 * the holidays, in the shop's or the store's own zone. No working hours at all: around the clock.
 */
export const saveCalendarSchema = z.object({
  storeId: z.preprocess((v) => (v === "" ? undefined : v), idSchema.optional()),
  ...Object.fromEntries(weekdays.map((d) => [d.key, dayHoursSchema])) as Record<(typeof weekdays)[number]["key"], typeof dayHoursSchema>,
  holidays: holidaysSchema,
});
/** The form's values, or a calendar as the schema gave it back (it parses to itself again). */
export type SaveCalendarInput = z.input<typeof saveCalendarSchema> | z.output<typeof saveCalendarSchema>;
