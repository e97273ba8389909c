import "server-only";
import type { Order } from "@/db/schema";
import { type Ctx, type Result, zodFailure } from "@/lib/result";
import { type FieldValues, stageOfField } from "@/lib/workflow";
import { sendQueuedEmails } from "@/lib/email/outbox";
import { type Queued, returnChange, withEvent } from "./commands";
import { proposalText } from "./history-text";
import { changeOrder, refuse } from "./kernel";
import { type AcceptProposalInput, type ProposeAlternativeInput, acceptProposalSchema, proposeAlternativeSchema } from "./schemas";

/**
 * Not feasible, with a way forward (decision 013): dispatch proposes what it can do for a held
 * order (an earlier-possible delivery date and/or a quantity); the store accepts it, and the
 * order's fields change (in history) and it returns to Receiving by Dispatch with feasibility
 * reset, or it revises or cancels the order as before.
 */
export async function proposeAlternative(ctx: Ctx, input: ProposeAlternativeInput): Promise<Result<{ order: Order }>> {
  const parsed = proposeAlternativeSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { orderId, version, requiredDeliveryDate, orderQuantity, note } = parsed.data;
  const queued: Queued = { notified: 0 };
  const result = await changeOrder(ctx, { orderId, version }, { action: "proposeAlternative" }, async (order, _tx, now) => {
    const proposal = {
      ...(requiredDeliveryDate ? { requiredDeliveryDate } : {}),
      ...(orderQuantity !== undefined ? { orderQuantity } : {}),
      ...(note ? { note } : {}),
      proposedBy: ctx.actor.id,
      proposedAt: now.toISOString(),
    };
    const change = { patch: { proposal }, events: [{ kind: "proposed" as const, subject: "proposal", before: order.proposal ?? null, after: proposal, note: note ?? null }] };
    // The store decides: it is told, with the proposal in the alert.
    return withEvent(change, queued, { event: "proposalSent", detail: `Proposed: ${proposalText(proposal)}`, causedBy: ctx.actor.id }, now);
  });
  if (result.ok && queued.notified) ctx.afterCommit?.((db) => sendQueuedEmails(db));
  return result;
}

export async function acceptProposal(ctx: Ctx, input: AcceptProposalInput): Promise<Result<{ order: Order }>> {
  const parsed = acceptProposalSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const queued: Queued = { notified: 0 };
  const result = await changeOrder(ctx, parsed.data, { action: "acceptProposal" }, async (order, _tx, now) => {
    const p = order.proposal;
    if (!p) return refuse({ formError: "There is no proposal to accept" });
    const fields: FieldValues = { ...order.fields };
    const events = [];
    if (p.requiredDeliveryDate && p.requiredDeliveryDate !== fields.requiredDeliveryDate) {
      events.push({ kind: "fieldChanged" as const, stage: stageOfField("requiredDeliveryDate"), subject: "requiredDeliveryDate", before: fields.requiredDeliveryDate ?? null, after: p.requiredDeliveryDate });
      fields.requiredDeliveryDate = p.requiredDeliveryDate;
    }
    if (p.orderQuantity !== undefined && p.orderQuantity !== fields.orderQuantity) {
      events.push({ kind: "fieldChanged" as const, stage: stageOfField("orderQuantity"), subject: "orderQuantity", before: fields.orderQuantity ?? null, after: p.orderQuantity });
      fields.orderQuantity = p.orderQuantity;
    }
    // Back to the stage that held it, which decides (and schedules) anew on the changed order.
    const to = order.stage;
    const back = returnChange(order, fields, to, now, queued, [
      ...events,
      { kind: "proposalAccepted", stage: to, subject: "proposal", before: { stage: order.stage, state: order.state, proposal: p }, after: { stage: to, state: "active" } },
    ]);
    // Dispatch decides anew on the changed order: it is told what was accepted.
    return withEvent(back, queued, { event: "proposalAccepted", detail: `Accepted: ${proposalText(p)}`, causedBy: ctx.actor.id }, now);
  });
  if (result.ok && queued.notified) ctx.afterCommit?.((db) => sendQueuedEmails(db));
  return result;
}
