"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { ActionFeedback } from "@/components/order/action-feedback";
import type { ActionState } from "@/lib/result";
import { unlockSignInAction } from "../actions";

/**
 * Clears the account's sign-in throttle: its wait and every address's lock on it (audited). Shown
 * while something holds the account back; the answer stays once nothing does.
 */
export function UnlockSignInForm({ accountId, active }: { accountId: number; active: boolean }) {
  const [state, action] = useActionState(unlockSignInAction, {} as ActionState);
  return (
    <form action={action} className="space-y-3" aria-label="Unlock sign-in">
      <input type="hidden" name="accountId" value={accountId} />
      <ActionFeedback state={state} />
      {active && (
        <SubmitButton variant="secondary" pendingText="Unlocking…">
          Unlock sign-in
        </SubmitButton>
      )}
    </form>
  );
}
