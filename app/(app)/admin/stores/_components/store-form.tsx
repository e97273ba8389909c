"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { Field, describedBy, inputClass } from "@/components/ui/field";
import { ActionFeedback } from "@/components/order/action-feedback";
import type { ActionState } from "@/lib/result";
import { updateStoreAction } from "../actions";
import { TimeZoneSelect } from "@/components/ui/time-zone-select";

/** Rename a store and set its time zone. */
export function StoreForm({ store, timeZones }: { store: { id: number; name: string; timeZone: string }; timeZones: string[] }) {
  const [state, action] = useActionState(updateStoreAction, {} as ActionState);
  const err = state.fieldErrors ?? {};
  const v = state.ok ? undefined : state.values;
  const id = (name: string) => `store-${store.id}-${name}`;
  return (
    <form action={action} className="space-y-3" noValidate aria-label={`Name and time zone of ${store.name}`}>
      <input type="hidden" name="storeId" value={store.id} />
      <ActionFeedback state={state} />
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id={id("name")} label="Name" required errors={err.name}>
          <input id={id("name")} name="name" required maxLength={100} autoComplete="off" defaultValue={v?.name ?? store.name} className={inputClass} {...describedBy(id("name"), { errors: err.name })} />
        </Field>
        <Field id={id("timeZone")} label="Time zone" required errors={err.timeZone}>
          <TimeZoneSelect id={id("timeZone")} defaultValue={v?.timeZone ?? store.timeZone} timeZones={timeZones} errors={err.timeZone} />
        </Field>
      </div>
      <SubmitButton variant="secondary" pendingText="Saving…">
        Save
      </SubmitButton>
    </form>
  );
}
