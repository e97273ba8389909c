"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import { signIn } from "@/lib/auth";
import { signInSchema } from "@/lib/auth/sign-in";
import { safeCallbackUrl } from "@/lib/auth/config";
import { formObject, formValues } from "@/lib/forms/form-data";
import { isForm, notAFormState } from "@/lib/auth/action";
import { type ActionState, fieldErrorsOf } from "@/lib/result";

/** One message each, the same whether or not the email belongs to an account. */
const SIGN_IN_REFUSED = "The email or password is not right, or the account is not active.";
const SIGN_IN_LOCKED = "Too many sign-in attempts. For your security, sign-in is paused for 15 minutes: try again later.";

export async function signInAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  if (!isForm(formData)) return notAFormState;
  const { email = "" } = formValues(formData);
  const values = { email };
  const form = formObject(formData);
  const parsed = signInSchema.safeParse(form);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error.issues), values };
  try {
    await signIn("credentials", { ...parsed.data, redirectTo: safeCallbackUrl(form.callbackUrl) });
  } catch (error) {
    if (error instanceof CredentialsSignin && error.code === "locked") return { ok: false, formError: SIGN_IN_LOCKED, values };
    if (error instanceof AuthError) return { ok: false, formError: SIGN_IN_REFUSED, values };
    throw error; // the redirect after a successful sign-in
  }
  return { ok: true };
}
