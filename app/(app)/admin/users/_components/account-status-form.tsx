"use client";

import { useActionState } from "react";
import { AskFirst } from "@/components/ui/ask-first";
import { SubmitButton } from "@/components/ui/button";
import { ActionFeedback } from "@/components/order/action-feedback";
import type { ActionState } from "@/lib/result";
import { setAccountActiveAction } from "../actions";

/** Deactivate (asked first; every session ends, sign-in refused) or reactivate; the command refuses for oneself and the last administrator. */
export function AccountStatusForm({ accountId, active }: { accountId: number; active: boolean }) {
  const [state, action] = useActionState(setAccountActiveAction, {} as ActionState);
  return (
    <form action={action} className="space-y-3" aria-label={active ? "Deactivate the account" : "Reactivate the account"}>
      <input type="hidden" name="accountId" value={accountId} />
      <input type="hidden" name="active" value={active ? "false" : "true"} />
      <ActionFeedback state={state} />
      <p className="text-sm text-slate-600">
        {active
          ? "A deactivated account cannot sign in, and its open sessions end at once. Its orders and history stay."
          : "This account is deactivated. Reactivate it to let it sign in again with its password."}
      </p>
      <AskFirst state={state} cancelHref={`/admin/users/${accountId}`}>
        <SubmitButton variant={active ? "danger" : "secondary"} pendingText={active ? "Deactivating…" : "Reactivating…"}>
          {active ? "Deactivate account" : "Reactivate account"}
        </SubmitButton>
      </AskFirst>
    </form>
  );
}
