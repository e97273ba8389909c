"use server";

import { AuthError } from "next-auth";
import { signIn } from "@/lib/auth";
import { signInSchema } from "@/lib/auth/accounts";
import type { ActionState } from "@/lib/auth/action";
import { safeCallbackUrl } from "@/lib/auth/config";

export async function signInAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const values = { email: String(formData.get("email") ?? "") };
  const parsed = signInSchema.safeParse({ email: formData.get("email"), password: formData.get("password") });
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const i of parsed.error.issues) (fieldErrors[String(i.path[0])] ??= []).push(i.message);
    return { ok: false, fieldErrors, values };
  }
  try {
    await signIn("credentials", { ...parsed.data, redirectTo: safeCallbackUrl(formData.get("callbackUrl")) });
  } catch (error) {
    if (error instanceof AuthError) return { ok: false, formError: "The email or password is not right, or the account is not active.", values };
    throw error; // the redirect after a successful sign-in
  }
  return { ok: true };
}
