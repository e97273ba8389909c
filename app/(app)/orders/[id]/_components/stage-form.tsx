"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { ActionFeedback } from "@/components/order/action-feedback";
import { FieldControl } from "@/components/order/field-control";
import type { ActionState } from "@/lib/result";
import { type FieldKey, type StageKey, isFormField, stage as stageDef } from "@/lib/workflow";
import { saveStageAction } from "../../actions";

type Props = {
  orderId: number;
  version: number;
  stage: StageKey;
  /** Current values as form strings. */
  defaults: Record<string, string>;
  editable: FieldKey[];
  canComplete: boolean;
  openTodos: string[];
};

/** The current stage's fields: editable where this account may, read-only otherwise. */
export function StageForm({ orderId, version, stage, defaults, editable, canComplete, openTodos }: Props) {
  const [state, action] = useActionState(saveStageAction, {} as ActionState);
  const values = state.ok || !state.values ? defaults : state.values;
  const errors = state.fieldErrors ?? {};
  const fields = stageDef(stage).fields.filter(isFormField);
  // Errors of fields this form has no control for (the inspections) would otherwise go unseen.
  const unplaced = Object.entries(errors)
    .filter(([key]) => !fields.some((f) => key === f.key || key.startsWith(`${f.key}.`)))
    .flatMap(([, messages]) => messages);
  return (
    <form action={action} className="space-y-5" noValidate aria-label={`${stageDef(stage).name} form`}>
      <input type="hidden" name="orderId" value={orderId} />
      <input type="hidden" name="version" value={version} />
      <input type="hidden" name="stage" value={stage} />
      <input type="hidden" name="editable" value={editable.join(",")} />
      {fields.map((f) => (
        <FieldControl key={`${f.key}-${version}`} def={f} values={values} errors={errors} disabled={!editable.includes(f.key)} />
      ))}
      <ActionFeedback state={state} details={unplaced} />
      {(editable.length > 0 || canComplete) && (
      <div className="flex flex-wrap items-center gap-3 border-t border-slate-100 pt-4">
        {editable.length > 0 && (
          <SubmitButton name="intent" value="save" variant="secondary" pendingText="Saving…">
            Save
          </SubmitButton>
        )}
        {canComplete && (
          <>
            {openTodos.length > 0 && (
              <label className="flex items-center gap-2 text-sm text-slate-700">
                <input type="checkbox" name="confirmOpenTodos" className="size-4 accent-indigo-600" />
                Complete with {openTodos.length} open to-do{openTodos.length > 1 ? "s" : ""}
              </label>
            )}
            <SubmitButton name="intent" value="complete" pendingText="Completing…">
              Complete stage
            </SubmitButton>
          </>
        )}
      </div>
      )}
    </form>
  );
}
