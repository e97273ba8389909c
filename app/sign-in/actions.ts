"use server";

import { AuthError } from "next-auth";
import { signIn } from "@/lib/auth";
import { signInSchema } from "@/lib/auth/accounts";
import { formObject, formValues } from "@/lib/forms/form-data";
import { type ActionState, fieldErrorsOf } from "@/lib/result";
import { safeCallbackUrl } from "@/lib/auth/config";

export async function signInAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const { email = "" } = formValues(formData);
  const values = { email };
  const parsed = signInSchema.safeParse(formObject(formData));
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error.issues), values };
  try {
    await signIn("credentials", { ...parsed.data, redirectTo: safeCallbackUrl(formObject(formData).callbackUrl) });
  } catch (error) {
    if (error instanceof AuthError) return { ok: false, formError: "The email or password is not right, or the account is not active.", values };
    throw error; // the redirect after a successful sign-in
  }
  return { ok: true };
}
