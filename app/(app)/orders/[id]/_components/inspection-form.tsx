"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { ActionFeedback } from "@/components/order/action-feedback";
import { FieldControl } from "@/components/order/field-control";
import type { ActionState } from "@/lib/result";
import type { FieldDef } from "@/lib/workflow";
import { recordInspectionAction } from "../../actions";

/** Records one inspection of the field kept as inspections (`def`); each is kept. */
export function InspectionForm({ orderId, version, def }: { orderId: number; version: number; def: FieldDef }) {
  const [state, action] = useActionState(recordInspectionAction, {} as ActionState);
  return (
    <form action={action} className="space-y-3" noValidate aria-label="Record a quality inspection">
      <input type="hidden" name="orderId" value={orderId} />
      <input type="hidden" name="version" value={version} />
      <FieldControl def={{ ...def, help: undefined }} values={state.ok ? {} : (state.values ?? {})} errors={state.fieldErrors ?? {}} />
      <ActionFeedback state={state} />
      <SubmitButton pendingText="Recording…">Record inspection</SubmitButton>
    </form>
  );
}
