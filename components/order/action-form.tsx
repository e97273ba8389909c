"use client";

import { createContext, type FormHTMLAttributes, type ReactNode, use, useActionState } from "react";
import type { ActionState } from "@/lib/result";
import { ActionFeedback } from "./action-feedback";

type Scope = { state: ActionState; action: (data: FormData) => void };
const ScopeContext = createContext<Scope>({ state: {}, action: () => {} });

/**
 * One server action's latest answer, for the forms inside drawn by a server component (one form,
 * or several that answer in one place, like a list of to-dos). This is the only client part such
 * forms have, shared by all of them, so their markup ships as HTML rather than as a component of
 * its own in the page's script (issue 17's JS budget). They work before and without JavaScript
 * like any form with a server action; `ActionAnswer` shows the answer where it is placed.
 */
export function ActionScope({ action, children }: { action: (state: ActionState, data: FormData) => Promise<ActionState>; children: ReactNode }) {
  const [state, formAction] = useActionState(action, {} as ActionState);
  return <ScopeContext value={{ state, action: formAction }}>{children}</ScopeContext>;
}

/** A form that posts to the action of the ActionScope around it. */
export function ActionForm(props: Omit<FormHTMLAttributes<HTMLFormElement>, "action">) {
  return <form {...props} action={use(ScopeContext).action} />;
}

/** The latest answer of the ActionScope around it: a success message or what went wrong, or (`errorsOnly`) only what went wrong. */
export function ActionAnswer({ errorsOnly }: { errorsOnly?: boolean }) {
  const { state } = use(ScopeContext);
  return errorsOnly && state.ok ? null : <ActionFeedback state={state} />;
}
