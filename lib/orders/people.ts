import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { accounts, stageEntries } from "@/db/schema";
import type { Order } from "@/db/schema";
import { activePeople } from "@/db/queries/conversation";
import { type Ctx, type Result, zodFailure } from "@/lib/result";
import { decide, mayWorkStage, stage as stageDef } from "@/lib/workflow";
import { sendQueuedEmails } from "@/lib/email/outbox";
import { type Queued, withEvent } from "./commands";
import { changeOrder, conflictsOn, refuse } from "./kernel";
import { type AssignStageInput, assignStageSchema } from "./schemas";

/**
 * A person on the order: its current stage is claimed by (accountId "me" or none) or assigned to
 * (an account id; "" for nobody) someone with a role that works it. It lives on the stage entry,
 * so it ends when the stage completes. A claim takes a free stage, or lets go of one's own; the
 * stage's owner role assigns and unassigns anyone.
 */
export async function assignStage(ctx: Ctx, input: AssignStageInput): Promise<Result<{ order: Order }>> {
  const parsed = assignStageSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { orderId, version } = parsed.data;
  const wanted = parsed.data.accountId === undefined || parsed.data.accountId === "me" ? ctx.actor.id : parsed.data.accountId;
  const queued: Queued = { notified: 0 };
  const result = await changeOrder(ctx, { orderId, version, conflicts: conflictsOn(["assignee"]) }, null, async (order, tx, now) => {
    const [entry] = await tx
      .select({ id: stageEntries.id, assignedTo: stageEntries.assignedTo, name: accounts.name })
      .from(stageEntries)
      .leftJoin(accounts, eq(accounts.id, stageEntries.assignedTo))
      .where(and(eq(stageEntries.orderId, order.id), isNull(stageEntries.completedAt)))
      .for("update", { of: stageEntries });
    if (!entry || order.state !== "active") refuse({ formError: "Only an order in a stage can be claimed or assigned" });
    const current = entry!.assignedTo;
    if (current === wanted) return null;
    // Claiming for oneself (or letting go of one's own claim) needs a role that works the stage;
    // anything else (someone else's claim, assigning another) is the owner's.
    const selfOnly = (wanted === ctx.actor.id && current === null) || (wanted === null && current === ctx.actor.id);
    const d = decide(ctx.actor, selfOnly ? "claim" : "assign", order);
    if (!d.ok) refuse({ formError: current !== null && wanted === ctx.actor.id ? `${entry!.name} works this stage: ask its owner to reassign it` : d.reason });
    let name: string | null = null;
    if (wanted !== null) {
      const person = (await activePeople(tx)).find((p) => p.id === wanted);
      if (!person || !mayWorkStage(person, order)) {
        refuse({ fieldErrors: { accountId: [`Choose someone who works ${stageDef(order.stage).name}`] }, formError: "Choose someone who works this stage" });
      }
      name = person!.name;
    }
    await tx.update(stageEntries).set({ assignedTo: wanted, assignedAt: wanted === null ? null : now }).where(eq(stageEntries.id, entry!.id));
    const change = { patch: {}, events: [{ kind: "assigned" as const, subject: "assignee", before: entry!.name ?? null, after: name }] };
    // The person handed the stage is told (someone who claims it for themself knows already).
    if (wanted === null || wanted === ctx.actor.id) return change;
    return withEvent(change, queued, { event: "assigned", detail: `${ctx.actor.name} assigned ${stageDef(order.stage).name} to ${name}`, causedBy: ctx.actor.id }, now);
  });
  if (result.ok && queued.notified) ctx.afterCommit?.((db) => sendQueuedEmails(db));
  return result;
}
