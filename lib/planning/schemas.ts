import "@/lib/forms/zod-setup";
import { z } from "zod";
import { isoDateSchema, wholeNumberSchema } from "@/lib/forms/input";

/** The capacity page's form (/admin/capacity): from a day on, so many units per working day. */
export const setCapacitySchema = z.object({
  effectiveFrom: isoDateSchema,
  unitsPerDay: wholeNumberSchema({ min: 0, max: 10_000_000, label: "Units per working day" }),
});
export type SetCapacityInput = z.input<typeof setCapacitySchema>;

/** Removing a dated change (it is audited, and set again as easily). */
export const removeCapacitySchema = z.object({ effectiveFrom: isoDateSchema });
export type RemoveCapacityInput = z.input<typeof removeCapacitySchema>;
