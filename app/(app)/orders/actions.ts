"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { validatedAction } from "@/lib/auth/action";
import { addAttachments, cancelOrder, createOrder, recordInspection, reviseOrder, saveStage, toggleTodo } from "@/lib/orders/commands";
import { addComment, editComment } from "@/lib/orders/conversation";
import { assignStage } from "@/lib/orders/people";
import { acceptProposal, proposeAlternative } from "@/lib/orders/proposals";
import { markReadyForReinspection } from "@/lib/orders/rework";
import { requestReplacement } from "@/lib/orders/replacements";
import {
  acceptProposalSchema,
  addCommentSchema,
  assignStageSchema,
  editCommentSchema,
  proposeAlternativeSchema,
  addAttachmentSchema,
  cancelOrderSchema,
  createOrderSchema,
  readyForReinspectionSchema,
  recordInspectionSchema,
  requestReplacementSchema,
  reviseOrderSchema,
  saveStageSchema,
  toggleTodoSchema,
} from "@/lib/orders/schemas";

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

/** The stage form: saves the fields this account may edit, then completes the stage when asked. */
export const saveStageAction = validatedAction(saveStageSchema, (input, ctx) => saveStage(ctx, input), ({ message }, { orderId }) => refresh(orderId, message));

export const toggleTodoAction = validatedAction(toggleTodoSchema, (input, ctx) => toggleTodo(ctx, input), (_r, { orderId }) => refresh(orderId, ""));

export const recordInspectionAction = validatedAction(recordInspectionSchema, (input, ctx) => recordInspection(ctx, input), (_r, { orderId }) =>
  refresh(orderId, "Inspection recorded"),
);

export const readyForReinspectionAction = validatedAction(readyForReinspectionSchema, (input, ctx) => markReadyForReinspection(ctx, input), (_r, { orderId }) =>
  refresh(orderId, "Quality control was told it is ready for re-inspection"),
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

/** Goods received damaged or wrong, ordered again: the new order opens, already with dispatch. */
export const requestReplacementAction = validatedAction(requestReplacementSchema, (input, ctx) => requestReplacement(ctx, input), ({ replacement }, { orderId }) => {
  revalidatePath(`/orders/${orderId}`);
  revalidatePath("/orders");
  redirect(`/orders/${replacement.id}`);
});
