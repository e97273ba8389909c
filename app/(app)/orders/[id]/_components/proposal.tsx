"use client";

import { useActionState } from "react";
import { formatDate } from "@/lib/format";
import { SubmitButton } from "@/components/ui/button";
import { Field, describedBy, inputClass } from "@/components/ui/field";
import { ActionFeedback } from "@/components/order/action-feedback";
import type { ActionState } from "@/lib/result";
import { acceptProposalAction, proposeAlternativeAction } from "../../actions";

/**
 * Dispatch's alternative for a held order: what it can deliver instead. `suggested` is the
 * earliest planned end that fits the shop's capacity (decision 027), the date's prefill.
 */
export function ProposeForm({ orderId, version, today, suggested }: { orderId: number; version: number; today: string; suggested?: string | null }) {
  const [state, action] = useActionState(proposeAlternativeAction, {} as ActionState);
  const err = state.fieldErrors ?? {};
  return (
    <details className="rounded-md border border-amber-300 bg-white p-3" open={Boolean(state.formError) || Boolean(suggested)}>
      <summary className="cursor-pointer text-sm font-medium text-amber-900">Propose an alternative…</summary>
      <form action={action} className="mt-3 space-y-3" noValidate>
        <input type="hidden" name="orderId" value={orderId} />
        <input type="hidden" name="version" value={version} />
        <div className="grid gap-3 sm:grid-cols-2">
          <Field id="proposal-date" label="Delivery date we can make" help={suggested ? `Earliest planned end that fits the shop's capacity: ${formatDate(suggested)}` : undefined} errors={err.requiredDeliveryDate}>
            <input id="proposal-date" name="requiredDeliveryDate" type="date" min={today} defaultValue={state.values?.requiredDeliveryDate ?? suggested ?? undefined} className={inputClass} {...describedBy("proposal-date", { help: suggested ? "help" : undefined, errors: err.requiredDeliveryDate })} />

          </Field>
          <Field id="proposal-quantity" label="Quantity we can make" errors={err.orderQuantity}>
            <input id="proposal-quantity" name="orderQuantity" type="number" min={1} defaultValue={state.values?.orderQuantity} className={inputClass} {...describedBy("proposal-quantity", { errors: err.orderQuantity })} />
          </Field>
        </div>
        <Field id="proposal-note" label="Note for the store" errors={err.note}>
          <textarea id="proposal-note" name="note" rows={2} defaultValue={state.values?.note} className={inputClass} />
        </Field>
        <ActionFeedback state={state} />
        <SubmitButton pendingText="Sending…">Send proposal</SubmitButton>
      </form>
    </details>
  );
}

export function AcceptProposalForm({ orderId, version }: { orderId: number; version: number }) {
  const [state, action] = useActionState(acceptProposalAction, {} as ActionState);
  return (
    <form action={action} className="space-y-2">
      <input type="hidden" name="orderId" value={orderId} />
      <input type="hidden" name="version" value={version} />
      <ActionFeedback state={state} />
      <SubmitButton pendingText="Accepting…">Accept proposal</SubmitButton>
    </form>
  );
}
