import "server-only";
import { sql } from "drizzle-orm";
import { type Executor, rowsOf } from "@/db/client";
import type { HistoryKind, Order, OrderComment } from "@/db/schema";
import { formatOrderNumber, stageMarked } from "@/lib/workflow";
import type { WebhookEventType } from "./event-types";

/**
 * The webhook half of the outbox (decision 019): events are written in the transaction of the
 * change that caused them, one row per subscribed endpoint, so an event exists exactly when its
 * change committed. Nothing leaves here; lib/webhooks/deliver.ts sends after the commit.
 */

/** Retries stop this long after the event (or after a resend). */
export const RETRY_FOR_MS = 3 * 24 * 60 * 60_000;

/** What a receiver gets of an order: enough to order (by version) and deduplicate events, and to act without calling back. */
export function orderSnapshot(order: Order) {
  return {
    number: formatOrderNumber(order.id),
    id: order.id,
    version: order.version,
    storeId: order.storeId,
    stage: order.stage,
    state: order.state,
    fields: order.fields,
    doneTodos: order.doneTodos,
    stageEnteredAt: order.stageEnteredAt.toISOString(),
    stageDueAt: order.stageDueAt.toISOString(),
    requiredDeliveryDate: order.requiredDeliveryDate,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
    submittedAt: order.submittedAt?.toISOString() ?? null,
    receivedAt: order.receivedAt?.toISOString() ?? null,
    cancelReason: order.cancelReason,
  };
}

type Event = { type: WebhookEventType | "webhook.test"; data: Record<string, unknown> };

/** A history event (as the kernel writes it) as the webhook events it raises. */
export type HistoryFacts = { kind: HistoryKind; stage?: Order["stage"] | null; before?: unknown; after?: unknown; note?: string | null };

export function webhookEventsOf(events: readonly HistoryFacts[], before: Pick<Order, "stage">): { type: WebhookEventType; extra: Record<string, unknown> }[] {
  const out: { type: WebhookEventType; extra: Record<string, unknown> }[] = [];
  for (const e of events) {
    const from = e.stage ?? before.stage;
    switch (e.kind) {
      case "created":
        out.push({ type: "order.created", extra: {} });
        break;
      case "stageCompleted": {
        const to = (e.after as { stage?: string } | null)?.stage ?? null;
        out.push({ type: "order.stage_completed", extra: { stage: { completed: from, to } } });
        if (from === stageMarked("submitted")) out.push({ type: "order.submitted", extra: {} });
        // Shipped: the stage before the one marked received (the goods are on their way) is done.
        if (to === stageMarked("received")) out.push({ type: "order.shipped", extra: {} });
        break;
      }
      case "completed":
        out.push({ type: "order.stage_completed", extra: { stage: { completed: from, to: null } } });
        out.push({ type: "order.completed", extra: {} });
        break;
      case "putOnHold":
        out.push({ type: "order.on_hold", extra: { reason: e.note ?? null } });
        break;
      case "proposed":
        out.push({ type: "order.proposal_sent", extra: { proposal: e.after ?? null } });
        break;
      case "cancelled":
        out.push({ type: "order.cancelled", extra: { reason: e.note ?? null } });
        break;
      case "inspectionRecorded":
        out.push({ type: "inspection.recorded", extra: { inspection: e.after ?? null } });
        break;
      default:
        break;
    }
  }
  return out;
}

/**
 * Writes the events to the outbox for every enabled endpoint that wants them (and whose store, if
 * it names one, is the order's), in one statement. Returns how many deliveries it queued.
 */
export async function queueWebhookEvents(tx: Executor, storeId: number | null, orderId: number | null, events: readonly Event[], now: Date): Promise<number> {
  if (!events.length) return 0;
  const at = now.toISOString();
  const rows = JSON.stringify(events.map((e) => ({ type: e.type, payload: { type: e.type, timestamp: at, data: e.data } })));
  const made = rowsOf<{ n: number }>(
    await tx.execute(sql`
      with queued as (
        insert into webhook_deliveries (endpoint_id, event_type, order_id, payload, created_at, next_attempt_at, give_up_at)
        select e.id, v.type, ${orderId}::int, v.payload, ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz + ${`${RETRY_FOR_MS} milliseconds`}::interval
        from jsonb_to_recordset(${rows}::jsonb) as v(type text, payload jsonb)
        join webhook_endpoints e on v.type = any(e.events) and e.enabled and (e.store_id is null or e.store_id = ${storeId}::int)
        returning 1
      )
      select count(*)::int as n from queued`),
  );
  return Number(made[0]?.n ?? 0);
}

/** The events an order change raises, with the order as it is after the change. */
export function queueOrderChange(tx: Executor, order: Order, events: readonly HistoryFacts[], before: Pick<Order, "stage">, now: Date) {
  const snapshot = orderSnapshot(order);
  const typed = webhookEventsOf(events, before).map((e) => ({ type: e.type, data: { order: snapshot, ...e.extra } }));
  return queueWebhookEvents(tx, order.storeId, order.id, typed, now);
}

export function queueCommentCreated(tx: Executor, order: Order, comment: OrderComment, author: { id: number; name: string }, now: Date) {
  const data = { order: orderSnapshot(order), comment: { id: comment.id, body: comment.body, author, createdAt: comment.createdAt.toISOString() } };
  return queueWebhookEvents(tx, order.storeId, order.id, [{ type: "comment.created", data }], now);
}
