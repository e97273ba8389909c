import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import type { Executor, Tx } from "@/db/client";
import { orderComments, stageEntries } from "@/db/schema";
import type { Order, OrderEvent } from "@/db/schema";
import { type FieldChange, type Firing, type OrderPeople, evaluateFieldChanges, evaluateInspection, evaluateOrderEvent, evaluateStageEntered } from "./evaluator";
import { enabledRules, loadRecipientsFor, recordFirings } from "./runner";

export type { FieldChange };

/** The people tied to an order now: who works its current stage, and who commented. */
export async function orderPeople(tx: Executor, orderId: number): Promise<OrderPeople> {
  const [entry] = await tx
    .select({ assignedTo: stageEntries.assignedTo })
    .from(stageEntries)
    .where(and(eq(stageEntries.orderId, orderId), isNull(stageEntries.completedAt)));
  const authors = await tx.selectDistinct({ id: orderComments.authorId }).from(orderComments).where(eq(orderComments.orderId, orderId));
  return { assigneeId: entry?.assignedTo ?? null, commenterIds: authors.map((a) => a.id) };
}

/**
 * Whom each command (its transaction) has alerted, per order: one command is one event for the
 * people it tells, so whoever it already alerted about the order (stage entered, then field
 * rules …) is not alerted again. Kept in memory: the transaction is the command.
 */
const toldIn = new WeakMap<object, Set<string>>();

async function apply(tx: Tx, firings: Firing[], now: Date) {
  if (!firings.length) return 0;
  const recipients = await loadRecipientsFor(tx, firings);
  const told = toldIn.get(tx) ?? new Set<string>();
  toldIn.set(tx, told);
  const { notified } = await recordFirings(tx, firings, recipients, now, [], told);
  return notified;
}

/**
 * Evaluates field rules for the fields just saved, in the saving transaction: the firing and its
 * notifications commit (or roll back) with the change itself. `order` is the order as updated,
 * so its version names the change. Returns how many notifications were queued: their emails
 * leave after the commit (the caller's afterCommit).
 */
export async function applyFieldRules(tx: Tx, order: Order, changes: FieldChange[], now: Date): Promise<number> {
  if (!changes.length) return 0;
  const rules = await enabledRules(tx, "field_equals");
  if (!rules.length) return 0;
  const firings = evaluateFieldChanges(rules, order, changes, await orderPeople(tx, order.id));
  return apply(tx, firings, now);
}

/** "Order enters stage" rules for the stage entry just made, in the moving transaction. */
export async function applyStageEnteredRules(tx: Tx, order: Pick<Order, "id" | "storeId" | "stage" | "state">, stageEntryId: number, now: Date): Promise<number> {
  const rules = await enabledRules(tx, "stage_entered");
  const firings = evaluateStageEntered(rules, order, stageEntryId, await orderPeople(tx, order.id));
  return apply(tx, firings, now);
}

/**
 * "Inspection recorded" rules, and field rules on Quality Check Results (an inspection is how
 * that field is saved), for the inspection just recorded, in the recording transaction.
 */
export async function applyInspectionRules(
  tx: Tx,
  order: Order,
  inspection: { id: number; result: "pass" | "fail"; notes: string; inspectorId: number },
  change: FieldChange,
  now: Date,
): Promise<number> {
  const rules = await enabledRules(tx, ["inspection_recorded", "field_equals"]);
  if (!rules.length) return 0;
  const people = await orderPeople(tx, order.id);
  // One event, whichever rules name it: each recipient hears of the inspection once.
  const event = `inspection/${inspection.id}`;
  const firings = [...evaluateInspection(rules, order, inspection, people), ...evaluateFieldChanges(rules, order, [change], people)].map((f) => ({ ...f, event }));
  return apply(tx, firings, now);
}

/** A hand-off's rules (order_event), in the transaction that makes it; `order` is the order as updated. */
export async function applyOrderEventRules(
  tx: Tx,
  order: Pick<Order, "id" | "storeId" | "stage" | "version">,
  event: { event: OrderEvent; detail?: string | null; causedBy: number },
  now: Date,
): Promise<number> {
  const rules = await enabledRules(tx, "order_event");
  const firings = evaluateOrderEvent(rules, order, event, await orderPeople(tx, order.id));
  return apply(tx, firings, now);
}
