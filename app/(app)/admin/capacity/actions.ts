"use server";

import { revalidatePath } from "next/cache";
import { validatedAction } from "@/lib/auth/action";
import { formatDate } from "@/lib/format";
import { removeCapacity, setCapacity } from "@/lib/planning/commands";
import { removeCapacitySchema, setCapacitySchema } from "@/lib/planning/schemas";

/** The capacity page's server actions; the commands check the manageCapacity grant themselves. */
export const setCapacityAction = validatedAction(setCapacitySchema, (input, ctx) => setCapacity(ctx, input), ({ effectiveFrom, unitsPerDay }) => {
  revalidatePath("/admin/capacity");
  return `From ${formatDate(effectiveFrom)}: ${unitsPerDay} units per working day.`;
});

export const removeCapacityAction = validatedAction(removeCapacitySchema, (input, ctx) => removeCapacity(ctx, input), ({ effectiveFrom }) => {
  revalidatePath("/admin/capacity");
  return `Removed the change from ${formatDate(effectiveFrom)}.`;
});
