"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { FieldErrors } from "@/components/ui/field";
import { ActionFeedback } from "@/components/order/action-feedback";
import { useUploadGuard } from "@/components/order/upload-guard";
import type { ActionState } from "@/lib/result";
import { type UploadLimits, attachmentTypes, describeUploadLimits } from "@/lib/orders/uploads";
import { addAttachmentsAction } from "../../actions";

export function AttachmentForm({ orderId, version, limits }: { orderId: number; version: number; limits: UploadLimits }) {
  const [state, action] = useActionState(addAttachmentsAction, {} as ActionState);
  const uploads = useUploadGuard(limits);
  const errors = uploads.problem ? [uploads.problem] : state.fieldErrors?.attachments;
  return (
    <form action={action} onSubmit={uploads.onSubmit} className="space-y-2" aria-label="Attach reference designs">
      <input type="hidden" name="orderId" value={orderId} />
      <input type="hidden" name="version" value={version} />
      <label htmlFor="attachments" className="block text-sm font-medium text-slate-800">
        Add reference designs
      </label>
      <input
        id="attachments"
        name="attachments"
        type="file"
        multiple
        accept={attachmentTypes.join(",")}
        onChange={uploads.onChange}
        aria-describedby={errors?.length ? "attachments-help attachments-error" : "attachments-help"}
        aria-invalid={errors?.length ? true : undefined}
        className="block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-indigo-50 file:px-3 file:py-2 file:text-indigo-700"
      />
      <p id="attachments-help" className="text-xs text-slate-500">{describeUploadLimits(limits)}</p>
      <FieldErrors id="attachments" errors={errors} />
      {!errors && <ActionFeedback state={state} />}
      <SubmitButton variant="secondary" pendingText="Uploading…">Attach</SubmitButton>
    </form>
  );
}
