import "server-only";
import { orderHistory, orders, stageEntries } from "@/db/schema";
import type { Order } from "@/db/schema";
import { sendQueuedEmails } from "@/lib/email/outbox";
import { isUniqueViolation } from "@/lib/errors";
import { rollupStageEntry } from "@/lib/kpi/rollups";
import { type Ctx, type Result, zodFailure } from "@/lib/result";
import { type FieldValues, displayValue, dueAt, firstStage, formatOrderNumber, isDeliveryProblem, nextStage, todayIso } from "@/lib/workflow";
import { type Queued, enterStage } from "./commands";
import { notifyOrderChanged } from "@/db/notify";
import { moveOrderCount } from "./counts";
import { changeOrder, mirroredColumns, refuse, sendWebhooks } from "./kernel";
import { queueOrderChange } from "@/lib/webhooks/outbox";
import { type RequestReplacementInput, requestReplacementSchema } from "./schemas";

/** The Store Order values a replacement form starts from: the received order's, a passed date left for the store to choose. */
export function replacementDefaults(order: Pick<Order, "fields">, today = todayIso()) {
  const f = order.fields;
  return {
    productSpecifications: f.productSpecifications ?? "",
    orderQuantity: f.orderQuantity !== undefined ? String(f.orderQuantity) : "",
    requiredDeliveryDate: f.requiredDeliveryDate && f.requiredDeliveryDate >= today ? f.requiredDeliveryDate : "",
  };
}

/**
 * "Ask for a replacement" (SPEC: When a delivery goes wrong): the store that received goods
 * damaged or not as specified orders them again in one gesture. The new order is sent as it is
 * made (Store Order completed: the store filled it in here), so it enters Receiving by Dispatch
 * at once and dispatch is told as of any new order; the two orders name each other. The received
 * order keeps its condition on record. One replacement per order: the version guard and the
 * unique replaces_order_id refuse a second.
 */
export async function requestReplacement(ctx: Ctx, input: RequestReplacementInput): Promise<Result<{ order: Order; replacement: Order }>> {
  const parsed = requestReplacementSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { orderId, version, ...values } = parsed.data;
  const queued: Queued = { notified: 0 };
  let replacement: Order | null = null;
  let webhooks = 0;
  const ask = () => changeOrder(ctx, { orderId, version }, { action: "requestReplacement" }, async (order, tx, now) => {
    if (!isDeliveryProblem(order.fields)) refuse({ formError: "Only goods received damaged or not as specified can be replaced" });
    if (order.replacementOrderId) refuse({ formError: `A replacement was already asked for: ${formatOrderNumber(order.replacementOrderId)}` });
    const fields: FieldValues = values;
    const to = nextStage(firstStage)!;
    const why = `replacement for ${formatOrderNumber(order.id)}, received ${displayValue("productCondition", order.fields)?.toLowerCase()}`;
    const [made] = await tx
      .insert(orders)
      .values({
        storeId: order.storeId,
        stage: to,
        state: "active",
        stageEnteredAt: now,
        stageDueAt: dueAt(to, now),
        fields,
        ...mirroredColumns(fields),
        createdBy: ctx.actor.id,
        createdAt: now,
        updatedAt: now,
        submittedAt: now,
        replacesOrderId: order.id,
        version: 2,
      })
      .returning();
    // Store Order was filled in and sent in this one gesture: its entry opens and closes now.
    const [sent] = await tx
      .insert(stageEntries)
      .values({ orderId: made.id, stage: firstStage, enteredAt: now, dueAt: dueAt(firstStage, now), completedAt: now, completedBy: ctx.actor.id })
      .returning({ id: stageEntries.id });
    await rollupStageEntry(tx, sent.id);
    await tx.insert(orderHistory).values([
      { orderId: made.id, actorId: ctx.actor.id, at: now, version: 1, kind: "created", stage: firstStage, after: fields, note: why },
      { orderId: made.id, actorId: ctx.actor.id, at: now, version: 2, kind: "stageCompleted", stage: firstStage, before: firstStage, after: { stage: to }, note: null },
    ]);
    await enterStage(tx, made, to, now, queued);
    replacement = made;
    return {
      patch: { replacementOrderId: made.id },
      events: [{ kind: "replacementRequested", subject: formatOrderNumber(made.id), after: { orderId: made.id }, note: order.fields.conditionNote ?? null }],
      // The new order's webhook events and its counter, late in the transaction as createOrder's (see moveOrderCount).
      after: async (t) => {
        webhooks = await queueOrderChange(t, made, [{ kind: "created" }, { kind: "stageCompleted", before: firstStage, after: { stage: to } }], { stage: firstStage }, now);
        await moveOrderCount(t, null, made);
        await notifyOrderChanged(t, made);
      },
    };
  });
  let result: Awaited<ReturnType<typeof ask>>;
  try {
    result = await ask();
  } catch (error) {
    // Two asks at once: the unique replaces_order_id let one in.
    if (!isUniqueViolation(error, "orders_replaces_order_id_key")) throw error;
    return { ok: false, formError: "A replacement was already asked for: reload the page to see it" };
  }
  if (result.ok && queued.notified) ctx.afterCommit?.((db) => sendQueuedEmails(db));
  if (result.ok && webhooks) ctx.afterCommit?.(sendWebhooks);
  if (!result.ok) return result;
  return { ...result, replacement: replacement! };
}
