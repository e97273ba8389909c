import "server-only";
import { eq } from "drizzle-orm";
import { capacityRates } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { can } from "@/lib/auth/policy";
import { type Ctx, type Result, zodFailure } from "@/lib/result";
import { type RemoveCapacityInput, type SetCapacityInput, removeCapacitySchema, setCapacitySchema } from "./schemas";

/**
 * The shop's production capacity (SPEC.md "Planning with capacity"): administrators set units per
 * working day from a day on; a later day is a dated change (a new machine from 1 March). Each
 * change is audited as `capacityChanged` with the rate before and after. The load is not touched:
 * only what it is compared with changes.
 */

const onlyAdmins = { ok: false as const, formError: "Only administrators can set the production capacity" };

export async function setCapacity(ctx: Ctx, input: SetCapacityInput): Promise<Result<{ effectiveFrom: string; unitsPerDay: number }>> {
  if (!can.manageCapacity(ctx.actor)) return onlyAdmins;
  const parsed = setCapacitySchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { effectiveFrom, unitsPerDay } = parsed.data;
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(capacityRates).where(eq(capacityRates.effectiveFrom, effectiveFrom)).for("update");
    if (before?.unitsPerDay === unitsPerDay) return { ok: true as const, effectiveFrom, unitsPerDay };
    const values = { effectiveFrom, unitsPerDay, updatedAt: ctx.now ?? new Date(), updatedBy: ctx.actor.id };
    if (before) await tx.update(capacityRates).set(values).where(eq(capacityRates.id, before.id));
    else await tx.insert(capacityRates).values(values);
    await recordAudit(tx, { kind: "capacityChanged", actorId: ctx.actor.id, before: before ? { effectiveFrom, unitsPerDay: before.unitsPerDay } : null, after: { effectiveFrom, unitsPerDay } });
    return { ok: true as const, effectiveFrom, unitsPerDay };
  });
}

export async function removeCapacity(ctx: Ctx, input: RemoveCapacityInput): Promise<Result<{ effectiveFrom: string }>> {
  if (!can.manageCapacity(ctx.actor)) return onlyAdmins;
  const parsed = removeCapacitySchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { effectiveFrom } = parsed.data;
  return ctx.db.transaction(async (tx): Promise<Result<{ effectiveFrom: string }>> => {
    const [before] = await tx.delete(capacityRates).where(eq(capacityRates.effectiveFrom, effectiveFrom)).returning();
    if (!before) return { ok: false, notFound: true, formError: "That change no longer exists" };
    await recordAudit(tx, { kind: "capacityChanged", actorId: ctx.actor.id, before: { effectiveFrom, unitsPerDay: before.unitsPerDay }, after: null });
    return { ok: true as const, effectiveFrom };
  });
}
