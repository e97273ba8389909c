"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { Field, FormMessage, inputClass } from "@/components/ui/field";
import type { ActionState } from "@/lib/result";
import { saveNotificationPreferencesAction } from "../actions";

export type PreferenceRow = { topic: string; label: string; detail: string; mode: string };

/** Per rule (and for mentions): email immediately, in the daily digest, or in-app only; and the digest's hour. */
export function NotificationPreferencesForm({ rows, modes, digestHour, zone }: { rows: PreferenceRow[]; modes: { value: string; label: string }[]; digestHour: number; zone: string }) {
  const [state, action] = useActionState(saveNotificationPreferencesAction, {} as ActionState);
  return (
    <form action={action} className="space-y-4" noValidate>
      <FormMessage error={state.formError} signedOut={state.signedOut} success={state.ok ? state.message : undefined} />
      <ul className="divide-y divide-slate-100">
        {rows.map((r) => (
          <li key={r.topic} className="flex flex-wrap items-center justify-between gap-3 py-2">
            <label htmlFor={`pref-${r.topic}`} className="min-w-0 flex-1 text-sm">
              <span className="font-medium">{r.label}</span>
              <span className="block text-xs text-slate-500">{r.detail}</span>
            </label>
            <select key={state.values?.[`mode.${r.topic}`] ?? r.mode} id={`pref-${r.topic}`} name={`mode.${r.topic}`} defaultValue={state.values?.[`mode.${r.topic}`] ?? r.mode} className={`${inputClass} w-48`}>
              {modes.map((m) => (
                <option key={m.value} value={m.value}>{m.label}</option>
              ))}
            </select>
          </li>
        ))}
      </ul>
      <Field id="digestHour" label={`Daily digest at (${zone.replaceAll("_", " ")})`} errors={state.fieldErrors?.digestHour}>
        <select key={state.values?.digestHour ?? String(digestHour)} id="digestHour" name="digestHour" defaultValue={state.values?.digestHour ?? String(digestHour)} className={`${inputClass} w-32`}>
          {Array.from({ length: 24 }, (_, h) => (
            <option key={h} value={h}>{`${String(h).padStart(2, "0")}:00`}</option>
          ))}
        </select>
      </Field>
      <SubmitButton pendingText="Saving…">Save notification choices</SubmitButton>
    </form>
  );
}
