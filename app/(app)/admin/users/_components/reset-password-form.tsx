"use client";

import { SubmitButton } from "@/components/ui/button";
import { useCreateForm } from "@/components/ui/use-create-form";
import { ActionFeedback } from "@/components/order/action-feedback";
import { resetPasswordAction } from "../actions";
import { OneTimePassword } from "./one-time-password";
import { PasswordChoice } from "./password-choice";

/** A new password for the account, typed or generated (shown once); its sessions end. */
export function ResetPasswordForm({ accountId, email, minPasswordLength }: { accountId: number; email: string; minPasswordLength: number }) {
  // After a reset the form starts empty again.
  const { state, action, created: resets } = useCreateForm(resetPasswordAction);
  return (
    <div className="space-y-4">
      <ActionFeedback state={state} />
      {state.oneTimeSecret && <OneTimePassword key={state.oneTimeSecret.secret} secret={state.oneTimeSecret.secret} email={email} />}
      <form key={resets} action={action} className="space-y-4" noValidate aria-label="Reset the password">
        <input type="hidden" name="accountId" value={accountId} />
        <PasswordChoice idPrefix="reset" label="New password" minLength={minPasswordLength} errors={state.fieldErrors?.password} />
        <SubmitButton variant="secondary" pendingText="Resetting…">
          Reset password
        </SubmitButton>
      </form>
    </div>
  );
}
