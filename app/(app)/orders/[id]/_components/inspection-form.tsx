"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { ActionFeedback } from "@/components/order/action-feedback";
import { CompoundControl } from "@/components/order/compound-control";
import { FieldControl } from "@/components/order/field-control";
import type { ActionState } from "@/lib/result";
import type { FieldDef } from "@/lib/workflow";
import { Field, FieldErrors, describedBy, inputClass } from "@/components/ui/field";
import { submittedList } from "@/lib/forms/form-data";
import { readyForReinspectionAction, recordInspectionAction } from "../../actions";

type ReasonOption = { id: number; label: string; needsNote: boolean };

/**
 * Records one inspection of the field kept as inspections (`def`); each is kept. A fail names
 * one or more fail reasons (the admin's list); one that needs a note ("Other") is described.
 * Plain checkboxes: the server says what is missing, with or without JavaScript.
 */
export function InspectionForm({ orderId, version, def, reasons }: { orderId: number; version: number; def: FieldDef; reasons: ReasonOption[] }) {
  const [state, action] = useActionState(recordInspectionAction, {} as ActionState);
  const ticked = new Set(submittedList(state.ok ? {} : state, "failReasons") ?? []);
  const reasonErrors = state.fieldErrors?.failReasons;
  const noteErrors = state.fieldErrors?.failReasonNote;
  const noteId = `inspection-${orderId}-failReasonNote`;
  const noteFor = reasons.filter((r) => r.needsNote).map((r) => r.label).join(" or ") || "Other";
  return (
    <form action={action} className="space-y-3" noValidate aria-label="Record a quality inspection">
      <input type="hidden" name="orderId" value={orderId} />
      <input type="hidden" name="version" value={version} />
      <FieldControl compound={CompoundControl} def={{ ...def, help: undefined }} values={state.ok ? {} : (state.values ?? {})} errors={state.fieldErrors ?? {}} />
      <fieldset className="space-y-2" aria-describedby={reasonErrors?.length ? `inspection-${orderId}-failReasons-error` : undefined}>
        <legend className="text-sm font-medium text-slate-800">Fail reasons (one or more, for a fail)</legend>
        <div className="flex flex-wrap gap-2">
          {reasons.map((r) => (
            <label key={r.id} className="flex min-h-10 cursor-pointer items-center gap-2 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm has-[:checked]:border-rose-500 has-[:checked]:bg-rose-50">
              <input type="checkbox" name="failReasons" value={r.id} defaultChecked={ticked.has(String(r.id))} className="size-4 accent-rose-600" />
              {r.label}
            </label>
          ))}
        </div>
        <FieldErrors id={`inspection-${orderId}-failReasons`} errors={reasonErrors} />
      </fieldset>
      <Field id={noteId} label={`Note for ${noteFor}`} errors={noteErrors}>
        <input id={noteId} name="failReasonNote" maxLength={500} defaultValue={state.ok ? "" : String(state.values?.failReasonNote ?? "")} className={inputClass} {...describedBy(noteId, { errors: noteErrors })} />
      </Field>
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
