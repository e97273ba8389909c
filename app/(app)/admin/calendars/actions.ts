"use server";

import { revalidatePath } from "next/cache";
import { validatedAction } from "@/lib/auth/action";
import { saveCalendar } from "@/lib/stores/calendars";
import { saveCalendarSchema } from "@/lib/stores/schemas";

/** The calendars page's server action; the command checks the manageStores grant itself. */
export const saveCalendarAction = validatedAction(saveCalendarSchema, (input, ctx) => saveCalendar(ctx, input), ({ name, calendar }) => {
  revalidatePath("/admin/calendars");
  return calendar ? `Saved the working calendar of ${name}.` : `${name} now works around the clock (no working hours).`;
});
