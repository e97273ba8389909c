"use client";

import { SubmitButton } from "@/components/ui/button";
import { useCreateForm } from "@/components/ui/use-create-form";
import { Field, describedBy, inputClass } from "@/components/ui/field";
import { OneTimeSecret } from "@/components/ui/one-time-secret";
import { ActionFeedback } from "@/components/order/action-feedback";
import { createApiKeyAction } from "../actions";

/** A new key for an account: the secret is shown once, here. */
export function CreateKeyForm({ accounts }: { accounts: { id: number; label: string }[] }) {
  const { state, action, created, errors: err, values: v } = useCreateForm(createApiKeyAction);
  const help = {
    accountId: "The key acts as this account: its roles and stores, nothing more. An integration account of one store is typical.",
    name: "What uses the key, e.g. “Web shop”. It is in the audit log beside every change the key makes.",
    expiresOn: "Optional: the last day the key works.",
  };
  return (
    <div className="space-y-4">
      {state.ok && state.oneTimeSecret && (
        <OneTimeSecret
          title="New API key: copy it now"
          explanation="It is shown only this once; Makeline keeps only a hash of it. Send it as `Authorization: Bearer <key>`."
          label={`Key “${state.oneTimeSecret.for}”`}
          secret={state.oneTimeSecret.secret}
        />
      )}
      <form key={created} action={action} className="space-y-4" noValidate aria-label="New API key">
        <ActionFeedback state={state} />
        <div className="grid gap-4 md:grid-cols-3">
          <Field id="key-accountId" label="Account" required help={help.accountId} errors={err.accountId}>
            <select id="key-accountId" name="accountId" required defaultValue={v?.accountId ?? ""} className={inputClass} {...describedBy("key-accountId", { help: help.accountId, errors: err.accountId })}>
              <option value="">Choose an account</option>
              {accounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.label}
                </option>
              ))}
            </select>
          </Field>
          <Field id="key-name" label="Name" required help={help.name} errors={err.name}>
            <input id="key-name" name="name" required maxLength={80} autoComplete="off" defaultValue={v?.name ?? ""} className={inputClass} {...describedBy("key-name", { help: help.name, errors: err.name })} />
          </Field>
          <Field id="key-expiresOn" label="Expires after" help={help.expiresOn} errors={err.expiresOn}>
            <input id="key-expiresOn" name="expiresOn" type="date" defaultValue={v?.expiresOn ?? ""} className={inputClass} {...describedBy("key-expiresOn", { help: help.expiresOn, errors: err.expiresOn })} />
          </Field>
        </div>
        <SubmitButton pendingText="Creating…">Create key</SubmitButton>
      </form>
    </div>
  );
}
