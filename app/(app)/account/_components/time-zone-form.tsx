"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { TimeZoneSelect } from "@/components/ui/time-zone-select";
import { ActionFeedback } from "@/components/order/action-feedback";
import type { ActionState } from "@/lib/result";
import { setOwnTimeZoneAction } from "../actions";

/** The zone this account reads times in: detected at sign-in, changed here. */
export function TimeZoneForm({ current, timeZones }: { current: string; timeZones: string[] }) {
  const [state, action] = useActionState(setOwnTimeZoneAction, {} as ActionState);
  const chosen = !state.ok && state.values?.timeZone ? state.values.timeZone : current;
  return (
    <form action={action} className="space-y-3" aria-label="Time zone">
      <Field id="timeZone" label="Show times in" errors={state.fieldErrors?.timeZone} help="A store manager sees an order's stage clocks in the store's zone.">
        <TimeZoneSelect id="timeZone" defaultValue={chosen} timeZones={timeZones} errors={state.fieldErrors?.timeZone} help="A store manager sees an order's stage clocks in the store's zone." />
      </Field>
      <ActionFeedback state={state} />
      <SubmitButton variant="secondary" pendingText="Saving…">Save time zone</SubmitButton>
    </form>
  );
}
