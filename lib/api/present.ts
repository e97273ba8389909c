import "server-only";
import type { z } from "zod";
import type { Executor } from "@/db/client";
import { commentsOf } from "@/db/queries/conversation";
import { type OrderListRow, orderDetail } from "@/db/queries/orders";
import { describeEvent } from "@/lib/orders/history-text";
import { type Actor, type InspectionResult, completion, decide, formatOrderNumber, stage as stageDef, todoKey } from "@/lib/workflow";
import type { Order } from "@/db/schema";
import type { nextStepSchema, orderSchema, orderSummarySchema } from "./schemas";

/** The API's representations of what the app stores (their shapes are lib/api/schemas.ts). */

export const orderPath = (id: number) => `/api/v1/orders/${formatOrderNumber(id)}`;

/**
 * What happens next to the order: the stage's owner and what completing it needs now, from the
 * workflow's one transition function. Issue 18 adds `nextStep(order)` to the workflow; when it
 * lands, this is where it replaces the derivation (the shape stays).
 */
export function nextStepOf(order: Pick<Order, "stage" | "state" | "fields" | "doneTodos">, latestInspection: InspectionResult | null): z.infer<typeof nextStepSchema> {
  if (order.state !== "active") {
    return { stage: null, stageName: null, owner: null, outcome: "none", to: null, missing: {}, openTodos: [] };
  }
  const def = stageDef(order.stage);
  const check = completion(order, latestInspection);
  return {
    stage: order.stage,
    stageName: def.name,
    owner: def.owner,
    outcome: check.outcome.kind,
    to: check.outcome.kind === "advance" ? check.outcome.to : null,
    missing: check.errors,
    openTodos: check.openTodos.map((t) => ({ key: todoKey(order.stage, t.key), label: t.label })),
  };
}

export const orderSummary = (row: OrderListRow): z.infer<typeof orderSummarySchema> => ({
  number: formatOrderNumber(row.id),
  id: row.id,
  storeId: row.storeId,
  storeName: row.storeName,
  productSummary: row.productSummary,
  quantity: row.quantity === null ? null : Number(row.quantity),
  stage: row.stage,
  state: row.state,
  stageEnteredAt: row.stageEnteredAt.toISOString(),
  stageDueAt: row.stageDueAt.toISOString(),
  requiredDeliveryDate: row.requiredDeliveryDate,
  url: orderPath(row.id),
});

/** The whole order as the account may read it; null when it does not exist or is not in its scope. */
export async function presentOrder(db: Executor, actor: Actor, id: number): Promise<z.infer<typeof orderSchema> | null> {
  const detail = await orderDetail(db, id);
  if (!detail || !decide(actor, "readOrder", detail.order).ok) return null;
  const comments = await commentsOf(db, id);
  const { order } = detail;
  const zone = actor.timeZone ?? "UTC";
  return {
    number: formatOrderNumber(order.id),
    id: order.id,
    version: order.version,
    store: { id: order.storeId, name: detail.storeName, timeZone: detail.storeTimeZone },
    stage: order.stage,
    stageName: stageDef(order.stage).name,
    state: order.state,
    fields: order.fields as Record<string, unknown>,
    doneTodos: order.doneTodos,
    stageEnteredAt: order.stageEnteredAt.toISOString(),
    stageDueAt: order.stageDueAt.toISOString(),
    requiredDeliveryDate: order.requiredDeliveryDate,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
    submittedAt: order.submittedAt?.toISOString() ?? null,
    receivedAt: order.receivedAt?.toISOString() ?? null,
    cancelReason: order.cancelReason,
    nextStep: nextStepOf(order, detail.inspections[0]?.inspection.result ?? null),
    history: [...detail.history].reverse().map(({ event, actorName }) => ({
      at: event.at.toISOString(),
      version: event.version,
      kind: event.kind,
      stage: event.stage,
      who: actorName ?? "System",
      text: describeEvent(event, zone),
    })),
    comments: comments.map(({ comment, authorName }) => ({
      id: comment.id,
      author: authorName,
      body: comment.body,
      createdAt: comment.createdAt.toISOString(),
      editedAt: comment.editedAt?.toISOString() ?? null,
    })),
    attachments: detail.attachments.map((a) => ({ id: a.id, filename: a.filename, contentType: a.contentType, size: a.size, createdAt: a.createdAt.toISOString(), url: `${orderPath(order.id)}/attachments/${a.id}` })),
  };
}
