"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { validatedAction } from "@/lib/auth/action";
import { markAllNotificationsRead, markNotificationRead, markOrderNotificationsRead } from "@/lib/inbox/commands";
import { noInputSchema, notificationIdSchema, orderIdSchema } from "@/lib/inbox/schemas";

/** Only the notification's own recipient can mark it: the command matches it on the actor. */
const markOne = validatedAction(notificationIdSchema, (input, ctx) => markNotificationRead(ctx, input));
const markAll = validatedAction(noInputSchema, (_input, ctx) => markAllNotificationsRead(ctx));

export async function markNotificationReadAction(formData: FormData) {
  if ((await markOne(undefined, formData)).signedOut) redirect("/sign-in?callbackUrl=/inbox");
  revalidatePath("/", "layout");
}

export async function markAllNotificationsReadAction(formData: FormData) {
  if ((await markAll(undefined, formData)).signedOut) redirect("/sign-in?callbackUrl=/inbox");
  revalidatePath("/", "layout");
}

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
