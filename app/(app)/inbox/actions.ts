"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { validatedAction } from "@/lib/auth/action";
import { markAllNotificationsRead, markNotificationRead } from "@/lib/inbox/commands";
import { noInputSchema, notificationIdSchema } from "@/lib/inbox/schemas";

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
