"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { withActor } from "@/lib/auth/action";
import { markAllNotificationsRead, markNotificationRead } from "@/lib/automation/commands";

/** Only the notification's own recipient can mark it: the command matches it on the actor. */
export async function markNotificationReadAction(formData: FormData) {
  const result = await withActor(formData, (ctx) => markNotificationRead(ctx, { notificationId: formData.get("notificationId") }));
  if (!result.ok && !result.notFound) redirect("/sign-in?callbackUrl=/inbox");
  revalidatePath("/", "layout");
}

export async function markAllNotificationsReadAction(formData: FormData) {
  const result = await withActor(formData, (ctx) => markAllNotificationsRead(ctx));
  if (!result.ok) redirect("/sign-in?callbackUrl=/inbox");
  revalidatePath("/", "layout");
}
