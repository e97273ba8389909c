"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { Field, describedBy, inputClass } from "@/components/ui/field";
import { ActionFeedback } from "@/components/order/action-feedback";
import type { ActionState } from "@/lib/result";
import { removeCapacityAction, setCapacityAction } from "../actions";

/** From a day on, so many units per working day: a plain form, it works before the page's script loads. */
export function SetCapacityForm({ today }: { today: string }) {
  const [state, action] = useActionState(setCapacityAction, {} as ActionState);
  const err = state.fieldErrors ?? {};
  const v = state.ok ? undefined : state.values;
  return (
    <form action={action} className="space-y-4" noValidate aria-label="Set the production capacity">
      <ActionFeedback state={state} />
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id="capacity-from" label="From" required help="The first day the rate applies (a new machine from 1 March)." errors={err.effectiveFrom}>
          <input id="capacity-from" name="effectiveFrom" type="date" required defaultValue={v?.effectiveFrom ?? today} className={inputClass} {...describedBy("capacity-from", { help: "help", errors: err.effectiveFrom })} />
        </Field>
        <Field id="capacity-units" label="Units per working day" required errors={err.unitsPerDay}>
          <input id="capacity-units" name="unitsPerDay" type="number" inputMode="numeric" min={0} step={1} required defaultValue={v?.unitsPerDay ?? ""} className={`${inputClass} max-w-40`} {...describedBy("capacity-units", { errors: err.unitsPerDay })} />
        </Field>
      </div>
      <SubmitButton pendingText="Saving…">Save capacity</SubmitButton>
    </form>
  );
}

export function RemoveCapacityForm({ effectiveFrom, label }: { effectiveFrom: string; label: string }) {
  const [state, action] = useActionState(removeCapacityAction, {} as ActionState);
  return (
    <form action={action} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="effectiveFrom" value={effectiveFrom} />
      <SubmitButton variant="secondary" pendingText="Removing…" aria-label={`Remove the change from ${label}`}>
        Remove
      </SubmitButton>
      {!state.ok && state.formError && <span role="alert" className="text-sm text-rose-700">{state.formError}</span>}
    </form>
  );
}
