"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { Field, FieldErrors, describedBy, inputClass } from "@/components/ui/field";
import { ActionFeedback } from "@/components/order/action-feedback";
import { FieldControl } from "@/components/order/field-control";
import { useUploadGuard } from "@/components/order/upload-guard";
import type { ActionState } from "@/lib/result";
import type { FieldDef } from "@/lib/workflow";
import { type UploadLimits, attachmentTypes, describeUploadLimits } from "@/lib/orders/uploads";
import { createOrderAction } from "../actions";

type Props = {
  stores: { id: number; name: string }[];
  /** This rendering's token: posting the form twice makes one order. */
  submissionToken: string;
  limits: UploadLimits;
  /** Store Order's fields, from the workflow definition (passed as data: the definition brings the field schemas). */
  fields: FieldDef[];
};

export function NewOrderForm({ stores, submissionToken, limits, fields }: Props) {
  const [state, action] = useActionState(createOrderAction, {} as ActionState);
  const uploads = useUploadGuard(limits);
  const values = state.values ?? {};
  const errors = state.fieldErrors ?? {};
  const help = describeUploadLimits(limits);
  const fileErrors = uploads.problem ? [uploads.problem] : errors.attachments;
  return (
    <form action={action} onSubmit={uploads.onSubmit} className="space-y-5" noValidate>
      <input type="hidden" name="submissionToken" value={submissionToken} />
      <ActionFeedback state={state} />
      {stores.length === 1 ? (
        <>
          <input type="hidden" name="storeId" value={stores[0].id} />
          <FieldErrors id="storeId" errors={errors.storeId} />
        </>
      ) : (
        <Field id="storeId" label="Store" required errors={errors.storeId}>
          <select key={values.storeId ?? ""} id="storeId" name="storeId" defaultValue={values.storeId ?? ""} className={inputClass}>
            {stores.map((s) => (
              <option key={s.id} value={s.id}>{s.name}</option>
            ))}
          </select>
        </Field>
      )}
      {fields.map((f) => (
        <FieldControl key={f.key} def={f} values={values} errors={errors} />
      ))}
      <Field id="attachments" label="Reference designs" help={help} errors={fileErrors}>
        <input
          id="attachments"
          name="attachments"
          type="file"
          multiple
          accept={attachmentTypes.join(",")}
          onChange={uploads.onChange}
          className="block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-indigo-50 file:px-3 file:py-2 file:text-indigo-700"
          {...describedBy("attachments", { help, errors: fileErrors })}
        />
      </Field>
      <div className="flex gap-3">
        <SubmitButton pendingText="Creating…">Create order</SubmitButton>
      </div>
    </form>
  );
}
