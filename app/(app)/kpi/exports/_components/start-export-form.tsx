"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { ActionFeedback } from "@/components/order/action-feedback";
import type { ActionState } from "@/lib/result";
import { startKpiExportAction } from "../actions";

/** The form that starts a background export of one KPI filter (its values as hidden inputs). */
export function StartExportForm({ filter, label }: { filter: Record<string, string>; label: string }) {
  const [state, action] = useActionState(startKpiExportAction, {} as ActionState);
  return (
    <form action={action} className="space-y-2" aria-label="Prepare the export">
      {Object.entries(filter).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <ActionFeedback state={state} />
      <SubmitButton pendingText="Starting…">{label}</SubmitButton>
    </form>
  );
}
