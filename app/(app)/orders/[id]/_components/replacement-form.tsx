"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { ActionFeedback } from "@/components/order/action-feedback";
import { FieldControl } from "@/components/order/field-control";
import type { ActionState } from "@/lib/result";
import type { FieldDef } from "@/lib/workflow";
import { requestReplacementAction } from "../../actions";

/**
 * "Ask for a replacement" of goods received damaged or not as specified: Store Order's fields,
 * prefilled from the received order (a passed delivery date left for the store to choose). Sent,
 * the new order goes straight to dispatch, first in its queue.
 */
export function ReplacementForm({ orderId, version, fields, defaults }: { orderId: number; version: number; fields: FieldDef[]; defaults: Record<string, string> }) {
  const [state, action] = useActionState(requestReplacementAction, {} as ActionState);
  const values = state.values ?? defaults;
  return (
    <form action={action} className="space-y-4" noValidate aria-label="Ask for a replacement">
      <input type="hidden" name="orderId" value={orderId} />
      <input type="hidden" name="version" value={version} />
      {fields.map((f) => (
        <FieldControl key={`${f.key}:${values[f.key] ?? ""}`} def={f} values={values} errors={state.fieldErrors ?? {}} />
      ))}
      <ActionFeedback state={state} />
      <SubmitButton pendingText="Sending…">Ask for a replacement</SubmitButton>
    </form>
  );
}
