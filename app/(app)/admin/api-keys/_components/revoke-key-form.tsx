"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { ActionFeedback } from "@/components/order/action-feedback";
import type { ActionState } from "@/lib/result";
import { revokeApiKeyAction } from "../actions";

/** Revoke a key: refused from its next request on. */
export function RevokeKeyForm({ keyId, name }: { keyId: number; name: string }) {
  const [state, action] = useActionState(revokeApiKeyAction, {} as ActionState);
  return (
    <form action={action} className="space-y-2" aria-label={`Revoke ${name}`}>
      <input type="hidden" name="keyId" value={keyId} />
      <ActionFeedback state={state} />
      <SubmitButton variant="danger" pendingText="Revoking…">
        Revoke
      </SubmitButton>
    </form>
  );
}
