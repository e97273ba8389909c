"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { ActionFeedback } from "@/components/order/action-feedback";
import { FieldControl } from "@/components/order/field-control";
import type { ActionState } from "@/lib/result";
import type { FieldDef } from "@/lib/workflow";
import { Field, describedBy, inputClass } from "@/components/ui/field";
import { readyForReinspectionAction, recordInspectionAction } from "../../actions";

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

/** Production's "Ready for re-inspection" after rework on a failed inspection: quality control is told, with the note. */
export function ReadyForReinspectionForm({ orderId, version }: { orderId: number; version: number }) {
  const [state, action] = useActionState(readyForReinspectionAction, {} as ActionState);
  const id = `ready-${orderId}-note`;
  const errors = state.fieldErrors?.note;
  return (
    <form action={action} className="space-y-3 rounded-md bg-rose-50 p-3" noValidate aria-label="Ready for re-inspection">
      <input type="hidden" name="orderId" value={orderId} />
      <input type="hidden" name="version" value={version} />
      <Field id={id} label="What was reworked (optional)" errors={errors}>
        <textarea id={id} name="note" rows={2} maxLength={1000} defaultValue={state.ok ? "" : String(state.values?.note ?? "")} className={inputClass} {...describedBy(id, { errors })} />
      </Field>
      <ActionFeedback state={state} />
      <SubmitButton pendingText="Telling quality control…">Ready for re-inspection</SubmitButton>
    </form>
  );
}
