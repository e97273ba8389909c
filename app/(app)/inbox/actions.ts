"use server";

import { revalidatePath } from "next/cache";
import { validatedAction, validatedFormAction } from "@/lib/auth/action";
import { markAllNotificationsRead, markNotificationRead, markOrderNotificationsRead } from "@/lib/inbox/commands";
import { noInputSchema, notificationIdSchema, orderIdSchema } from "@/lib/inbox/schemas";

/** Only the notification's own recipient can mark it: the command matches it on the actor. */
const refresh = () => revalidatePath("/", "layout");

export const markNotificationReadAction = validatedFormAction(notificationIdSchema, (input, ctx) => markNotificationRead(ctx, input), { returnTo: "/inbox", done: refresh });

export const markAllNotificationsReadAction = validatedFormAction(noInputSchema, (_input, ctx) => markAllNotificationsRead(ctx), { returnTo: "/inbox", done: refresh });

const markOrder = validatedAction(orderIdSchema, (input, ctx) => markOrderNotificationsRead(ctx, input), (result) => (result.count ? `${result.count}` : undefined));

/**
 * Opening an order marks the viewer's own alerts about it read: a POST the order page sends
 * once it is shown (never a side effect of the GET), then the header's count is refreshed.
 */
export async function markOrderReadAction(orderId: number) {
  const formData = new FormData();
  formData.set("orderId", String(orderId));
  const result = await markOrder(undefined, formData);
  if (result.ok && result.message) revalidatePath("/", "layout");
}
