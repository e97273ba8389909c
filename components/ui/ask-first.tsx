"use client";

import { type ReactNode, useState } from "react";
import type { ActionState } from "@/lib/result";
import { SubmitButton } from "./button";

/**
 * Asks before a step that is hard to undo, inside the form that takes it: the first press submits
 * without `confirmed` and the command answers with its question (`state.confirm`); this shows the
 * question and a second submit button that sends the same form with `confirmed` ticked. It works
 * without JavaScript (Cancel is then a link back to the page) and is read out as an alert.
 */
export function AskFirst({ state, cancelHref, children }: { state: ActionState; cancelHref: string; children: ReactNode }) {
  const [dismissed, setDismissed] = useState<ActionState | null>(null);
  if (!state.confirm || dismissed === state) return children;
  return (
    <div role="alert" className="space-y-3 rounded-md border border-amber-300 bg-amber-50 px-3 py-3 text-sm text-amber-950">
      <p className="font-medium">{state.confirm.question}</p>
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton variant="danger" name="confirmed" value="on" autoFocus pendingText="Working…">
          {state.confirm.yes}
        </SubmitButton>
        <a
          href={cancelHref}
          onClick={(e) => {
            e.preventDefault();
            setDismissed(state);
          }}
          className="inline-flex min-h-10 items-center px-2 text-slate-700 underline"
        >
          Cancel
        </a>
      </div>
    </div>
  );
}
