"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { useCreateForm } from "@/components/ui/use-create-form";
import { Field, describedBy, inputClass } from "@/components/ui/field";
import { ActionFeedback } from "@/components/order/action-feedback";
import type { ActionState } from "@/lib/result";
import { archiveFailReasonAction, createFailReasonAction, updateFailReasonAction } from "../actions";

type Reason = { id: number; label: string; needsNote: boolean; archived: boolean };

function NeedsNote({ id, checked }: { id: string; checked: boolean }) {
  return (
    <label htmlFor={id} className="flex min-h-10 items-center gap-2 text-sm">
      <input id={id} type="checkbox" name="needsNote" value="on" defaultChecked={checked} className="size-4 accent-indigo-600" />
      Needs a note (as &ldquo;Other&rdquo;)
    </label>
  );
}

export function CreateFailReasonForm() {
  const { state, action, created, errors: err, values: v } = useCreateForm(createFailReasonAction);
  return (
    <form key={created} action={action} className="space-y-3" noValidate aria-label="New fail reason">
      <ActionFeedback state={state} />
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-56 flex-1">
          <Field id="new-reason-label" label="Name" required errors={err.label}>
            <input id="new-reason-label" name="label" required maxLength={60} autoComplete="off" defaultValue={v?.label ?? ""} className={inputClass} {...describedBy("new-reason-label", { errors: err.label })} />
          </Field>
        </div>
        <NeedsNote id="new-reason-needsNote" checked={v?.needsNote === "on"} />
      </div>
      <SubmitButton pendingText="Adding…">Add reason</SubmitButton>
    </form>
  );
}

export function FailReasonForm({ reason }: { reason: Reason }) {
  const [state, action] = useActionState(updateFailReasonAction, {} as ActionState);
  const err = state.fieldErrors ?? {};
  const v = state.ok ? undefined : state.values;
  const id = (name: string) => `reason-${reason.id}-${name}`;
  return (
    <form action={action} className="space-y-3" noValidate aria-label={`Name of ${reason.label}`}>
      <input type="hidden" name="reasonId" value={reason.id} />
      <ActionFeedback state={state} />
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-56 flex-1">
          <Field id={id("label")} label="Name" required errors={err.label}>
            <input id={id("label")} name="label" required maxLength={60} autoComplete="off" defaultValue={v?.label ?? reason.label} className={inputClass} {...describedBy(id("label"), { errors: err.label })} />
          </Field>
        </div>
        <NeedsNote id={id("needsNote")} checked={v ? v.needsNote === "on" : reason.needsNote} />
      </div>
      <SubmitButton variant="secondary" pendingText="Saving…">
        Save
      </SubmitButton>
    </form>
  );
}

/** Archive (inspections no longer offer it; those that named it keep it) or restore. */
export function ArchiveFailReasonForm({ reason }: { reason: Reason }) {
  const [state, action] = useActionState(archiveFailReasonAction, {} as ActionState);
  return (
    <form action={action} className="space-y-2" aria-label={reason.archived ? `Restore ${reason.label}` : `Archive ${reason.label}`}>
      <input type="hidden" name="reasonId" value={reason.id} />
      <input type="hidden" name="archived" value={reason.archived ? "false" : "true"} />
      <ActionFeedback state={state} />
      <SubmitButton variant={reason.archived ? "secondary" : "danger"} pendingText={reason.archived ? "Restoring…" : "Archiving…"}>
        {reason.archived ? "Restore" : "Archive"}
      </SubmitButton>
    </form>
  );
}
