"use client";

import { useActionState, useState } from "react";
import type { ActionState } from "@/lib/result";

/**
 * A form that creates things one after another (a store, an account, a key, a reason, a
 * webhook, a new password): its action's state, a `created` count to key the form by, so that each thing created
 * starts an empty form, and what a refused submission typed (`values`) and was told (`errors`),
 * so that a refusal keeps it.
 */
export function useCreateForm(create: (prev: ActionState, formData: FormData) => Promise<ActionState>) {
  const [state, action] = useActionState(create, {} as ActionState);
  const [seen, setSeen] = useState(state);
  const [created, setCreated] = useState(0);
  if (state !== seen) {
    setSeen(state);
    if (state.ok) setCreated((n) => n + 1);
  }
  return { state, action, created, errors: state.fieldErrors ?? {}, values: state.ok ? undefined : state.values };
}
