"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { FieldErrors } from "@/components/ui/field";
import { ActionFeedback } from "@/components/order/action-feedback";
import { useDirectUpload } from "@/components/order/direct-upload";
import type { ActionState } from "@/lib/result";
import type { DirectUploadField } from "@/lib/orders/uploads";
import { addAttachmentsAction } from "../../actions";

/**
 * Files for the order: sent straight to storage with the page's script (progress shown, up to the
 * direct limit), or posted with the form without it (components/order/direct-upload.tsx).
 */
export function AttachmentForm({ orderId, version, files }: { orderId: number; version: number; files: DirectUploadField }) {
  const [state, action] = useActionState(addAttachmentsAction, {} as ActionState);
  const { inputRef: fileInputRef, ...uploads } = useDirectUpload({ limits: files.limits, target: () => ({ orderId }), result: state });
  const serverErrors = [...(state.fieldErrors?.attachments ?? []), ...(state.fieldErrors?.uploads ?? [])];
  const errors = uploads.problem ? [uploads.problem] : serverErrors.length ? serverErrors : undefined;
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
        accept={files.accept}
        ref={fileInputRef}
        onChange={uploads.onChange}
        aria-describedby={errors?.length ? "attachments-help attachments-error" : "attachments-help"}
        aria-invalid={errors?.length ? true : undefined}
        className="block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-indigo-50 file:px-3 file:py-2 file:text-indigo-700"
      />
      <p id="attachments-help" className="text-xs text-slate-500">{files.help}</p>
      <FieldErrors id="attachments" errors={errors} />
      {uploads.view}
      {!errors && <ActionFeedback state={state} />}
      <SubmitButton variant="secondary" pendingText="Attaching…" disabled={uploads.busy}>
        {uploads.busy ? "Sending…" : "Attach"}
      </SubmitButton>
    </form>
  );
}
