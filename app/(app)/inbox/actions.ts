"use server";

import { revalidatePath } from "next/cache";
import { validatedFormAction } from "@/lib/auth/action";
import { markAllNotificationsRead, markNotificationRead } from "@/lib/inbox/commands";
import { noInputSchema, notificationIdSchema } from "@/lib/inbox/schemas";

/** Only the notification's own recipient can mark it: the command matches it on the actor. */
const refresh = () => revalidatePath("/", "layout");

export const markNotificationReadAction = validatedFormAction(notificationIdSchema, (input, ctx) => markNotificationRead(ctx, input), { returnTo: "/inbox", done: refresh });

export const markAllNotificationsReadAction = validatedFormAction(noInputSchema, (_input, ctx) => markAllNotificationsRead(ctx), { returnTo: "/inbox", done: refresh });
