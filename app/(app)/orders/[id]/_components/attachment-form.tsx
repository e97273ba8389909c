"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { FieldErrors } from "@/components/ui/field";
import { ActionFeedback } from "@/components/order/action-feedback";
import type { ActionState } from "@/lib/result";
import { attachmentTypes } from "@/lib/orders/schemas";
import { addAttachmentsAction } from "../../actions";

export function AttachmentForm({ orderId, version }: { orderId: number; version: number }) {
  const [state, action] = useActionState(addAttachmentsAction, {} as ActionState);
  return (
    <form action={action} className="space-y-2" aria-label="Attach reference designs">
      <input type="hidden" name="orderId" value={orderId} />
      <input type="hidden" name="version" value={version} />
      <label htmlFor="attachments" className="block text-sm font-medium text-slate-800">
        Add reference designs
      </label>
      <input id="attachments" name="attachments" type="file" multiple accept={attachmentTypes.join(",")} aria-describedby="attachments-help" className="block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-indigo-50 file:px-3 file:py-2 file:text-indigo-700" />
      <p id="attachments-help" className="text-xs text-slate-500">PDF or image, up to 10 MB each.</p>
      <FieldErrors id="attachments" errors={state.fieldErrors?.attachments} />
      {!state.fieldErrors?.attachments && <ActionFeedback state={state} />}
      <SubmitButton variant="secondary" pendingText="Uploading…">Attach</SubmitButton>
    </form>
  );
}
