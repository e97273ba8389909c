"use client";

import { SubmitButton } from "@/components/ui/button";
import { useCreateForm } from "@/components/ui/use-create-form";
import { Field, describedBy, inputClass } from "@/components/ui/field";
import { ActionFeedback } from "@/components/order/action-feedback";
import { createStoreAction } from "../actions";
import { TimeZoneSelect } from "@/components/ui/time-zone-select";

export function CreateStoreForm({ timeZones }: { timeZones: string[] }) {
  const { state, action, created, errors: err, values: v } = useCreateForm(createStoreAction);
  const help = { code: "2–32 lower-case letters, digits and dashes; it cannot change later.", timeZone: "Stage clocks and due times of its orders are read in it." };
  return (
    <form key={created} action={action} className="space-y-4" noValidate aria-label="New store">
      <ActionFeedback state={state} />
      <div className="grid gap-4 md:grid-cols-3">
        <Field id="new-code" label="Code" required help={help.code} errors={err.code}>
          <input
            id="new-code"
            name="code"
            required
            maxLength={32}
            autoComplete="off"
            spellCheck={false}
            defaultValue={v?.code ?? ""}
            placeholder="east-side"
            className={inputClass}
            {...describedBy("new-code", { help: help.code, errors: err.code })}
          />
        </Field>
        <Field id="new-name" label="Name" required errors={err.name}>
          <input id="new-name" name="name" required maxLength={100} autoComplete="off" defaultValue={v?.name ?? ""} className={inputClass} {...describedBy("new-name", { errors: err.name })} />
        </Field>
        <Field id="new-timeZone" label="Time zone" required help={help.timeZone} errors={err.timeZone}>
          <TimeZoneSelect id="new-timeZone" defaultValue={v?.timeZone ?? "UTC"} timeZones={timeZones} errors={err.timeZone} help={help.timeZone} />
        </Field>
      </div>
      <SubmitButton pendingText="Creating…">Create store</SubmitButton>
    </form>
  );
}
