"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { Field, inputClass } from "@/components/ui/field";
import { ActionFeedback } from "@/components/order/action-feedback";
import { FieldControl } from "@/components/order/field-control";
import type { ActionState } from "@/lib/result";
import { stage } from "@/lib/workflow";
import { attachmentTypes } from "@/lib/orders/schemas";
import { createOrderAction } from "../actions";

export function NewOrderForm({ stores }: { stores: { id: number; name: string }[] }) {
  const [state, action] = useActionState(createOrderAction, {} as ActionState);
  const values = state.values ?? {};
  const errors = state.fieldErrors ?? {};
  return (
    <form action={action} className="space-y-5" noValidate>
      <ActionFeedback state={state} />
      {stores.length === 1 ? (
        <input type="hidden" name="storeId" value={stores[0].id} />
      ) : (
        <Field id="storeId" label="Store" required errors={errors.storeId}>
          <select id="storeId" name="storeId" defaultValue={values.storeId ?? ""} className={inputClass}>
            {stores.map((s) => (
              <option key={s.id} value={s.id}>{s.name}</option>
            ))}
          </select>
        </Field>
      )}
      {stage("storeOrder").fields.map((f) => (
        <FieldControl key={f.key} def={f} values={values} errors={errors} />
      ))}
      <Field id="attachments" label="Reference designs" help="Images (PNG, JPEG, GIF, WebP) or PDF, up to 10 MB each." errors={errors.attachments}>
        <input id="attachments" name="attachments" type="file" multiple accept={attachmentTypes.join(",")} className="block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-indigo-50 file:px-3 file:py-2 file:text-indigo-700" aria-describedby="attachments-help" />
      </Field>
      <div className="flex gap-3">
        <SubmitButton pendingText="Creating…">Create order</SubmitButton>
      </div>
    </form>
  );
}
