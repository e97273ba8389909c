import "server-only";
import { and, desc, eq, gt } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { inspections, orderHistory } from "@/db/schema";
import type { Order } from "@/db/schema";
import { sendQueuedEmails } from "@/lib/email/outbox";
import { type Ctx, type Result, zodFailure } from "@/lib/result";
import { type Queued, withEvent } from "./commands";
import { changeOrder, conflictsOn, refuse } from "./kernel";
import { type ReadyForReinspectionInput, readyForReinspectionSchema } from "./schemas";

/**
 * Where rework stands after inspections: the latest inspection failed, and whether production has
 * said since that it is ready to be inspected again. The order page's button and the command read it.
 */
export async function reworkState(tx: Pick<Tx, "select">, orderId: number): Promise<{ failed: boolean; readySince: Date | null }> {
  const [latest] = await tx
    .select({ result: inspections.result, at: inspections.createdAt })
    .from(inspections)
    .where(eq(inspections.orderId, orderId))
    .orderBy(desc(inspections.createdAt), desc(inspections.id))
    .limit(1);
  if (latest?.result !== "fail") return { failed: false, readySince: null };
  const [ready] = await tx
    .select({ at: orderHistory.at })
    .from(orderHistory)
    .where(and(eq(orderHistory.orderId, orderId), eq(orderHistory.kind, "readyForReinspection"), gt(orderHistory.at, latest.at)))
    .orderBy(desc(orderHistory.id))
    .limit(1);
  return { failed: true, readySince: ready?.at ?? null };
}

/**
 * "Ready for re-inspection": production says the rework on a failed inspection is done; it is
 * kept in history and quality control is told (the seeded rule). Once per failed inspection.
 */
export async function markReadyForReinspection(ctx: Ctx, input: ReadyForReinspectionInput): Promise<Result<{ order: Order }>> {
  const parsed = readyForReinspectionSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { orderId, version, note } = parsed.data;
  const queued: Queued = { notified: 0 };
  const result = await changeOrder(ctx, { orderId, version, conflicts: conflictsOn(["readyForReinspection"]) }, { action: "markReadyForReinspection" }, async (order, tx, now) => {
    const rework = await reworkState(tx, order.id);
    if (!rework.failed) refuse({ formError: "Only an order whose latest inspection failed waits for re-inspection" });
    if (rework.readySince) refuse({ formError: "Quality control was already told this order is ready for re-inspection" });
    const change = { patch: {}, events: [{ kind: "readyForReinspection" as const, subject: "readyForReinspection", note: note || null }] };
    return withEvent(change, queued, { event: "readyForReinspection", detail: note || null, causedBy: ctx.actor.id }, now);
  });
  if (result.ok && queued.notified) ctx.afterCommit?.((db) => sendQueuedEmails(db));
  return result;
}
