"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { Field, describedBy, inputClass } from "@/components/ui/field";
import { ActionFeedback } from "@/components/order/action-feedback";
import type { ActionState } from "@/lib/result";
import { changeOwnPasswordAction } from "../actions";

/** Current password, then the new one twice. Success ends every session and goes to sign-in. */
export function ChangePasswordForm({ minLength, email }: { minLength: number; email: string }) {
  const [state, action] = useActionState(changeOwnPasswordAction, {} as ActionState);
  const err = state.fieldErrors ?? {};
  const help = `At least ${minLength} characters, not your email address.`;
  return (
    <form action={action} className="space-y-4" noValidate aria-label="Change your password">
      {/* Lets a password manager file the new password under the right account. */}
      <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
      <ActionFeedback state={state} />
      <Field id="currentPassword" label="Current password" required errors={err.currentPassword}>
        <input
          id="currentPassword"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          maxLength={200}
          className={inputClass}
          {...describedBy("currentPassword", { errors: err.currentPassword })}
        />
      </Field>
      <Field id="newPassword" label="New password" required help={help} errors={err.newPassword}>
        <input
          id="newPassword"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          minLength={minLength}
          maxLength={200}
          className={inputClass}
          {...describedBy("newPassword", { help, errors: err.newPassword })}
        />
      </Field>
      <Field id="confirmPassword" label="New password again" required errors={err.confirmPassword}>
        <input
          id="confirmPassword"
          name="confirmPassword"
          type="password"
          autoComplete="new-password"
          required
          maxLength={200}
          className={inputClass}
          {...describedBy("confirmPassword", { errors: err.confirmPassword })}
        />
      </Field>
      <SubmitButton pendingText="Changing…">Change password</SubmitButton>
    </form>
  );
}
