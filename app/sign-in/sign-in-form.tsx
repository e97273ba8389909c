"use client";

import { useActionState, useEffect, useRef } from "react";
import { Field, FormMessage, describedBy, inputClass } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/button";
import type { ActionState } from "@/lib/result";
import { signInAction } from "./actions";

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action] = useActionState(signInAction, {} as ActionState);
  const err = state.fieldErrors ?? {};
  // The browser's time zone: the account reads times in it until the person picks another.
  const zone = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (zone.current) zone.current.value = Intl.DateTimeFormat().resolvedOptions().timeZone ?? "";
  }, []);
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <input ref={zone} type="hidden" name="timeZone" defaultValue="" />
      <FormMessage error={state.formError} />
      <Field id="email" label="Email" errors={err.email}>
        <input id="email" name="email" type="email" autoComplete="username" required defaultValue={state.values?.email} className={inputClass} {...describedBy("email", { errors: err.email })} />
      </Field>
      <Field id="password" label="Password" errors={err.password}>
        <input id="password" name="password" type="password" autoComplete="current-password" required className={inputClass} {...describedBy("password", { errors: err.password })} />
      </Field>
      <SubmitButton pendingText="Signing in…" className="w-full">
        Sign in
      </SubmitButton>
    </form>
  );
}
