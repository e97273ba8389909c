"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { validatedAction } from "@/lib/auth/action";
import { addAttachments, cancelOrder, createOrder, recordInspection, reviseOrder, saveAndCompleteStage, saveFields, toggleTodo } from "@/lib/orders/commands";
import { addComment, editComment } from "@/lib/orders/conversation";
import { readStageFields } from "@/lib/orders/form";
import { assignStage } from "@/lib/orders/people";
import { acceptProposal, proposeAlternative } from "@/lib/orders/proposals";
import {
  acceptProposalSchema,
  addCommentSchema,
  assignStageSchema,
  editCommentSchema,
  proposeAlternativeSchema,
  addAttachmentSchema,
  cancelOrderSchema,
  createOrderSchema,
  recordInspectionSchema,
  reviseOrderSchema,
  saveStageSchema,
  toggleTodoSchema,
} from "@/lib/orders/schemas";
import { stage as stageDef } from "@/lib/workflow";

/**
 * The order page's server actions. Each is a public endpoint: validatedAction reloads the
 * account and parses the form with the input's schema; the command authorises against the
 * loaded order through the workflow's permission table.
 */

const refresh = (orderId: number, message: string) => {
  revalidatePath(`/orders/${orderId}`);
  return message;
};

export const createOrderAction = validatedAction(createOrderSchema, (input, ctx) => createOrder(ctx, input), ({ order }) => {
  revalidatePath("/orders");
  redirect(`/orders/${order.id}`);
});

/**
 * The stage form. "Save" saves the fields the person changed; "Complete stage" saves them and
 * completes the stage in one command, so a refusal saves nothing and the form keeps the input.
 * Only the fields the person edited are sent (`editable`), each checked against the version
 * they were loaded at: a colleague's change to something else is no conflict.
 */
export const saveStageAction = validatedAction(
  saveStageSchema,
  async (input, ctx) => {
    const { orderId, version, intent, editable, confirmOpenTodos } = input;
    const values = readStageFields(input.stage, input, editable);
    if (intent === "save") {
      if (!Object.keys(values).length) return { ok: true as const, message: "No changes to save" };
      const saved = await saveFields(ctx, { orderId, version, values });
      if (!saved.ok) return saved;
      return { ok: true as const, message: saved.changed.length ? `Saved ${saved.changed.length} field${saved.changed.length > 1 ? "s" : ""}` : "No changes to save" };
    }
    const done = await saveAndCompleteStage(ctx, { orderId, version, values, confirmOpenTodos });
    if (!done.ok) return done;
    const o = done.order;
    const receivedBy = o.fields.receiptConfirmation?.confirmedBy;
    const message =
      o.state === "completed"
        ? `Order completed${receivedBy ? ` — received by ${receivedBy}` : ""}`
        : o.state === "onHold"
          ? "Order put on hold: the store has been alerted"
          : `Stage completed: now in ${stageDef(o.stage).name}`;
    return { ok: true as const, message };
  },
  ({ message }, { orderId }) => refresh(orderId, message),
);

export const toggleTodoAction = validatedAction(toggleTodoSchema, (input, ctx) => toggleTodo(ctx, input), (_r, { orderId }) => refresh(orderId, ""));

export const recordInspectionAction = validatedAction(recordInspectionSchema, (input, ctx) => recordInspection(ctx, input), (_r, { orderId }) =>
  refresh(orderId, "Inspection recorded"),
);

export const addAttachmentsAction = validatedAction(addAttachmentSchema, (input, ctx) => addAttachments(ctx, input), (_r, { orderId }) => refresh(orderId, "Attached"));

export const reviseOrderAction = validatedAction(reviseOrderSchema, (input, ctx) => reviseOrder(ctx, input), (_r, { orderId }) =>
  refresh(orderId, "Order back in Store Order: revise it and complete the stage to resubmit"),
);

export const cancelOrderAction = validatedAction(cancelOrderSchema, (input, ctx) => cancelOrder(ctx, input), (_r, { orderId }) => refresh(orderId, "Order cancelled"));

// --- Conversation and people ----------------------------------------------------------------

export const addCommentAction = validatedAction(addCommentSchema, (input, ctx) => addComment(ctx, input), (_r, { orderId }) => refresh(orderId, "Comment posted"));

export const editCommentAction = validatedAction(editCommentSchema, (input, ctx) => editComment(ctx, input), ({ comment }) => refresh(comment.orderId, "Comment updated"));

export const assignStageAction = validatedAction(assignStageSchema, (input, ctx) => assignStage(ctx, input), ({ order }) => {
  revalidatePath("/board");
  return refresh(order.id, "Saved who works this stage");
});

export const proposeAlternativeAction = validatedAction(proposeAlternativeSchema, (input, ctx) => proposeAlternative(ctx, input), (_r, { orderId }) =>
  refresh(orderId, "Proposal sent to the store"),
);

export const acceptProposalAction = validatedAction(acceptProposalSchema, (input, ctx) => acceptProposal(ctx, input), (_r, { orderId }) =>
  refresh(orderId, "Proposal accepted: the order is back in Receiving by Dispatch"),
);
