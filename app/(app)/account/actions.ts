"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { changeOwnPassword, setOwnTimeZone, signOutEverywhere } from "@/lib/account-admin/commands";
import { changeOwnPasswordSchema, ownTimeZoneSchema } from "@/lib/account-admin/schemas";
import { signOut } from "@/lib/auth";
import { type ActionState, validatedAction } from "@/lib/auth/action";
import { noInputSchema, preferencesSchema } from "@/lib/inbox/schemas";
import { saveNotificationPreferences } from "@/lib/inbox/preferences";

/** The account page: every signed-in account, for itself only (the commands act on the actor). */

/** The command raises the session version, so this session has ended too: sign in again. */
export const changeOwnPasswordAction = validatedAction(changeOwnPasswordSchema, (input, ctx) => changeOwnPassword(ctx, input), () => {
  redirect("/sign-in?changed=1");
});

export const setOwnTimeZoneAction = validatedAction(ownTimeZoneSchema, (input, ctx) => setOwnTimeZone(ctx, input), () => {
  revalidatePath("/", "layout");
  return "Saved: times now show in this zone.";
});

const endEverySession = validatedAction(noInputSchema, (_input, ctx) => signOutEverywhere(ctx));

/** Every session of the account ends; this browser's cookie goes too. */
export async function signOutEverywhereAction(prev: ActionState | undefined, formData: FormData): Promise<ActionState> {
  const state = await endEverySession(prev, formData);
  if (state.ok) await signOut({ redirectTo: "/sign-in" });
  return state;
}

export const saveNotificationPreferencesAction = validatedAction(preferencesSchema, (input, ctx) => saveNotificationPreferences(ctx, input), () => {
  // The form is drawn again from what is stored (React resets it after the action).
  revalidatePath("/account");
  return "Saved. New alerts follow these choices.";
});
