import "server-only";
import { and, count, eq, inArray, isNull } from "drizzle-orm";
import { orders, stores } from "@/db/schema";
import type { Store } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { can } from "@/lib/auth/policy";
import { type Ctx, type Failure, type Result, zodFailure } from "@/lib/result";
import {
  type ArchiveStoreInput,
  type CreateStoreInput,
  type UpdateStoreInput,
  archiveStoreSchema,
  createStoreSchema,
  updateStoreSchema,
} from "./schemas";

/**
 * Stores in the app: administrators create, rename, set the time zone, archive and restore. A
 * store is never deleted: archived, it takes no new orders and keeps its orders, history and KPIs.
 */

const onlyAdmins: Failure = { ok: false, formError: "Only administrators can manage stores" };

export async function createStore(ctx: Ctx, input: CreateStoreInput): Promise<Result<{ store: Store }>> {
  if (!can.manageStores(ctx.actor)) return onlyAdmins;
  const parsed = createStoreSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  return ctx.db.transaction(async (tx): Promise<Result<{ store: Store }>> => {
    const [store] = await tx.insert(stores).values(parsed.data).onConflictDoNothing({ target: stores.code }).returning();
    if (!store) return { ok: false, fieldErrors: { code: ["A store with this code already exists"] }, formError: "Check the highlighted fields" };
    await recordAudit(tx, { kind: "storeCreated", actorId: ctx.actor.id, storeId: store.id, after: parsed.data });
    return { ok: true as const, store };
  });
}

export async function updateStore(ctx: Ctx, input: UpdateStoreInput): Promise<Result<{ store: Store }>> {
  if (!can.manageStores(ctx.actor)) return onlyAdmins;
  const parsed = updateStoreSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { storeId, name, timeZone } = parsed.data;
  return ctx.db.transaction(async (tx): Promise<Result<{ store: Store }>> => {
    const [before] = await tx.select().from(stores).where(eq(stores.id, storeId)).for("update");
    if (!before) return { ok: false, notFound: true, formError: "That store no longer exists" };
    if (before.name === name && before.timeZone === timeZone) return { ok: true as const, store: before };
    const [store] = await tx.update(stores).set({ name, timeZone }).where(eq(stores.id, storeId)).returning();
    await recordAudit(tx, { kind: "storeChanged", actorId: ctx.actor.id, storeId, before: { name: before.name, timeZone: before.timeZone }, after: { name, timeZone } });
    return { ok: true as const, store };
  });
}

/** Archive (no new orders) or restore. */
export async function archiveStore(ctx: Ctx, input: ArchiveStoreInput): Promise<Result<{ store: Store }>> {
  if (!can.manageStores(ctx.actor)) return onlyAdmins;
  const parsed = archiveStoreSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { storeId, archived, confirmed } = parsed.data;
  return ctx.db.transaction(async (tx): Promise<Result<{ store: Store }>> => {
    const [before] = await tx.select().from(stores).where(eq(stores.id, storeId)).for("update");
    if (!before) return { ok: false, notFound: true, formError: "That store no longer exists" };
    if (Boolean(before.archivedAt) === archived) return { ok: true as const, store: before };
    if (archived && !confirmed) {
      const [{ open }] = await tx.select({ open: count() }).from(orders).where(and(eq(orders.storeId, storeId), inArray(orders.state, ["active", "onHold"])));
      if (open > 0) {
        const question = `${before.name} has ${open} open order${open === 1 ? "" : "s"}. Archive it anyway? It takes no new orders; its open orders go on as they are.`;
        return { ok: false, confirm: { question, yes: "Yes, archive the store" } };
      }
    }
    const [store] = await tx
      .update(stores)
      .set({ archivedAt: archived ? (ctx.now ?? new Date()) : null })
      .where(eq(stores.id, storeId))
      .returning();
    await recordAudit(tx, { kind: archived ? "storeArchived" : "storeRestored", actorId: ctx.actor.id, storeId });
    return { ok: true as const, store };
  });
}

/** Stores that take new orders. */
export const openStores = isNull(stores.archivedAt);
