"use server";

import { revalidatePath } from "next/cache";
import { validatedFormAction } from "@/lib/auth/action";
import { markAllNotificationsRead, markNotificationRead, markOrderNotificationsRead } from "@/lib/inbox/commands";
import { noInputSchema, notificationIdSchema, orderIdSchema } from "@/lib/inbox/schemas";

/** Only the notification's own recipient can mark it: the command matches it on the actor. */
const refresh = () => revalidatePath("/", "layout");

export const markNotificationReadAction = validatedFormAction(notificationIdSchema, (input, ctx) => markNotificationRead(ctx, input), { returnTo: "/inbox", done: refresh });

export const markAllNotificationsReadAction = validatedFormAction(noInputSchema, (_input, ctx) => markAllNotificationsRead(ctx), { returnTo: "/inbox", done: refresh });

/**
 * Opening an order marks the viewer's own alerts about it read: a POST the order page sends
 * once it is shown (never a side effect of the GET), then the header's count is refreshed. It
 * posts a form like every other action, so the proxy can refuse any call that is not one.
 */
export const markOrderReadAction = validatedFormAction(orderIdSchema, (input, ctx) => markOrderNotificationsRead(ctx, input), {
  returnTo: "/inbox",
  done: (result) => {
    if (result.count) revalidatePath("/", "layout");
  },
});
