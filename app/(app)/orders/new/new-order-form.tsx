"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { Field, FieldErrors, describedBy, inputClass } from "@/components/ui/field";
import { ActionFeedback } from "@/components/order/action-feedback";
import { FieldControl } from "@/components/order/field-control";
import { useDirectUpload } from "@/components/order/direct-upload";
import type { ActionState } from "@/lib/result";
import type { FieldDef } from "@/lib/workflow";
import type { DirectUploadField } from "@/lib/orders/uploads";
import { createOrderAction } from "../actions";

type Props = {
  stores: { id: number; name: string }[];
  /** This rendering's token: posting the form twice makes one order. */
  submissionToken: string;
  /** The reference designs' file field (lib/orders/uploads.ts directUploadField). */
  files: DirectUploadField;
  /** Store Order's fields, from the workflow definition (passed as data: the definition brings the field schemas). */
  fields: FieldDef[];
};

function storeOf(form: HTMLFormElement) {
  const id = Number((form.elements.namedItem("storeId") as HTMLInputElement | HTMLSelectElement | null)?.value);
  return Number.isInteger(id) && id > 0 ? { storeId: id } : null;
}

export function NewOrderForm({ stores, submissionToken, files, fields }: Props) {
  const [state, action] = useActionState(createOrderAction, {} as ActionState);
  // Files go to storage before the order exists, for the store chosen in the form.
  const { inputRef: fileInputRef, ...uploads } = useDirectUpload({ limits: files.limits, target: storeOf, result: state });
  const values = state.values ?? {};
  const errors = state.fieldErrors ?? {};
  const help = files.help;
  const serverFileErrors = [...(errors.attachments ?? []), ...(errors.uploads ?? [])];
  const fileErrors = uploads.problem ? [uploads.problem] : serverFileErrors.length ? serverFileErrors : undefined;
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
          accept={files.accept}
          ref={fileInputRef}
          onChange={uploads.onChange}
          className="block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-indigo-50 file:px-3 file:py-2 file:text-indigo-700"
          {...describedBy("attachments", { help, errors: fileErrors })}
        />
      </Field>
      {uploads.view}
      <div className="flex gap-3">
        <SubmitButton pendingText="Creating…" disabled={uploads.busy}>
          {uploads.busy ? "Sending files…" : "Create order"}
        </SubmitButton>
      </div>
    </form>
  );
}
