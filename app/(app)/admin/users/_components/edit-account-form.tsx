"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { Field, describedBy, inputClass } from "@/components/ui/field";
import { ActionFeedback } from "@/components/order/action-feedback";
import type { ActionState } from "@/lib/result";
import { updateAccountAction } from "../actions";
import { CheckboxGroup, type CheckboxOption } from "@/components/ui/checkbox-group";
import { submittedList } from "@/lib/forms/form-data";

type Props = {
  account: { id: number; name: string; roles: string[]; storeIds: number[] };
  roleOptions: CheckboxOption[];
  storeOptions: CheckboxOption[];
  storesHelp: string;
  self: boolean;
};

/** Name, roles and stores of an account. */
export function EditAccountForm({ account, roleOptions, storeOptions, storesHelp, self }: Props) {
  const [state, action] = useActionState(updateAccountAction, {} as ActionState);
  const err = state.fieldErrors ?? {};
  const v = state.ok ? undefined : state.values;
  // The stored access: when a save changes it, the boxes start again from what is stored.
  const stored = `${account.roles.join()}|${account.storeIds.join()}`;
  const rolesHelp = self ? "Changing your own roles signs you out everywhere; you cannot remove your own administrator role." : "A change of roles signs the account out everywhere.";
  return (
    <form action={action} className="space-y-5" noValidate aria-label="Name, roles and stores">
      <input type="hidden" name="accountId" value={account.id} />
      <ActionFeedback state={state} />
      <Field id="name" label="Name" required errors={err.name}>
        <input id="name" name="name" required maxLength={200} autoComplete="off" defaultValue={v?.name ?? account.name} className={inputClass} {...describedBy("name", { errors: err.name })} />
      </Field>
      <CheckboxGroup key={`roles-${stored}`} id="roles" name="roles" legend="Roles" required options={roleOptions} initial={submittedList(state, "roles") ?? account.roles} help={rolesHelp} errors={err.roles} />
      <CheckboxGroup
        key={`stores-${stored}`}
        id="storeIds"
        name="storeIds"
        legend="Stores"
        options={storeOptions}
        initial={submittedList(state, "storeIds") ?? account.storeIds.map(String)}
        help={storesHelp}
        errors={err.storeIds}
      />
      <SubmitButton pendingText="Saving…">Save changes</SubmitButton>
    </form>
  );
}
