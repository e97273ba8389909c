"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { ActionFeedback } from "@/components/order/action-feedback";
import type { ActionState } from "@/lib/result";
import { signOutEverywhereAction } from "../actions";

export function SignOutEverywhereForm() {
  const [state, action] = useActionState(signOutEverywhereAction, {} as ActionState);
  return (
    <form action={action} className="space-y-3" aria-label="Sign out everywhere">
      <ActionFeedback state={state} />
      <SubmitButton variant="danger" pendingText="Signing out…">
        Sign out everywhere
      </SubmitButton>
    </form>
  );
}
