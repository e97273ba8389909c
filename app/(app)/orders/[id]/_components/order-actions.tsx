"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { Field, describedBy, inputClass } from "@/components/ui/field";
import { ActionFeedback } from "@/components/order/action-feedback";
import type { ActionState } from "@/lib/result";
import { cancelOrderAction, reviseOrderAction } from "../../actions";

export function ReviseForm({ orderId, version }: { orderId: number; version: number }) {
  const [state, action] = useActionState(reviseOrderAction, {} as ActionState);
  return (
    <form action={action} className="space-y-2">
      <input type="hidden" name="orderId" value={orderId} />
      <input type="hidden" name="version" value={version} />
      <ActionFeedback state={state} />
      <SubmitButton pendingText="Reopening…">Revise order</SubmitButton>
    </form>
  );
}

export function CancelForm({ orderId, version }: { orderId: number; version: number }) {
  const [state, action] = useActionState(cancelOrderAction, {} as ActionState);
  const errors = state.fieldErrors?.reason;
  return (
    <details className="group rounded-md border border-slate-200 bg-white p-3" open={Boolean(state.formError)}>
      <summary className="cursor-pointer text-sm font-medium text-rose-700">Cancel this order…</summary>
      <form action={action} className="mt-3 space-y-3" noValidate>
        <input type="hidden" name="orderId" value={orderId} />
        <input type="hidden" name="version" value={version} />
        <Field id="reason" label="Reason for cancelling" required errors={errors}>
          <textarea id="reason" name="reason" rows={2} defaultValue={state.values?.reason} className={inputClass} {...describedBy("reason", { errors })} />
        </Field>
        {!errors && <ActionFeedback state={state} />}
        <SubmitButton variant="danger" pendingText="Cancelling…">Cancel order</SubmitButton>
      </form>
    </details>
  );
}
