import { z } from "zod";
import { checkboxSchema } from "@/lib/forms/fields";
import { textSchema } from "@/lib/forms/input";
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
