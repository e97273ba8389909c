"use client";

import { Link } from "@/components/ui/link";
import { SubmitButton } from "@/components/ui/button";
import { useCreateForm } from "@/components/ui/use-create-form";
import { Field, FormMessage, describedBy, inputClass } from "@/components/ui/field";
import { createAccountAction } from "../actions";
import { CheckboxGroup, type CheckboxOption } from "@/components/ui/checkbox-group";
import { submittedList } from "@/lib/forms/form-data";
import { OneTimePassword } from "./one-time-password";
import { PasswordChoice } from "./password-choice";

type Props = { roleOptions: CheckboxOption[]; storeOptions: CheckboxOption[]; minPasswordLength: number; storesHelp: string };

/** A new account: name, email, roles, stores and a first password (typed, or generated and shown once). */
export function CreateAccountForm({ roleOptions, storeOptions, minPasswordLength, storesHelp }: Props) {
  const { state, action, created, errors: err, values: v } = useCreateForm(createAccountAction);
  return (
    <div className="space-y-6">
      {state.ok && state.message && (
        <div role="status" className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
          {state.message}{" "}
          <Link href="/admin/users" className="font-medium underline">
            Back to the accounts
          </Link>
        </div>
      )}
      {state.oneTimeSecret && <OneTimePassword key={state.oneTimeSecret.secret} secret={state.oneTimeSecret.secret} email={state.oneTimeSecret.for ?? ""} />}
      <form key={created} action={action} className="space-y-5 rounded-lg border border-slate-200 bg-white p-4 sm:p-6" noValidate aria-label="New account">
        <FormMessage error={state.formError} signedOut={state.signedOut} />
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="name" label="Name" required errors={err.name}>
            <input id="name" name="name" required maxLength={200} autoComplete="off" defaultValue={v?.name ?? ""} className={inputClass} {...describedBy("name", { errors: err.name })} />
          </Field>
          <Field id="email" label="Email" required errors={err.email}>
            <input
              id="email"
              name="email"
              type="email"
              required
              maxLength={254}
              autoComplete="off"
              spellCheck={false}
              defaultValue={v?.email ?? ""}
              className={inputClass}
              {...describedBy("email", { errors: err.email })}
            />
          </Field>
        </div>
        <CheckboxGroup id="roles" name="roles" legend="Roles" required options={roleOptions} initial={submittedList(state, "roles") ?? []} errors={err.roles} />
        <CheckboxGroup id="storeIds" name="storeIds" legend="Stores" options={storeOptions} initial={submittedList(state, "storeIds") ?? []} help={storesHelp} errors={err.storeIds} />
        <PasswordChoice idPrefix="new" minLength={minPasswordLength} errors={err.password} generated={v?.generatePassword === "on"} />
        <SubmitButton pendingText="Creating…">Create account</SubmitButton>
      </form>
    </div>
  );
}
