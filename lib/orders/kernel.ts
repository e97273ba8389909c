import "server-only";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { orderCalendars } from "@/db/queries/calendars";
import { accounts, orderHistory, orders, stageEntries } from "@/db/schema";
import type { HistoryKind, Order } from "@/db/schema";
import type { ConflictChange, Ctx, Failure, Result } from "@/lib/result";
import { type FieldKey, type FieldValues, type OrderAction, decide, planField, stageClock, storedClock } from "@/lib/workflow";
import { deliverWebhooks } from "@/lib/webhooks/deliver";
import { queueOrderChange } from "@/lib/webhooks/outbox";
import { notifyOrderChanged } from "@/db/notify";
import { moveCapacityLoad } from "@/lib/planning/load";
import { moveOrderCount } from "./counts";
import { describeEvent } from "./history-text";
import { formatDateTime } from "@/lib/format";

/**
 * The transaction kernel every order command runs in: load the order, check scope, version and
 * policy, let the command work out its change, and write it with its history events under a
 * conditional update on `version`, so a stale write is refused with what changed since.
 */

export class Refusal extends Error {
  constructor(readonly failure: Failure) {
    super(failure.formError ?? "refused");
  }
}
export const refuse = (failure: Omit<Failure, "ok">): never => {
  throw new Refusal({ ok: false, ...failure });
};

export type Event = { kind: HistoryKind; stage?: Order["stage"] | null; subject?: string | null; before?: unknown; after?: unknown; note?: string | null };

/** JSON with object keys sorted: jsonb does not keep the key order a value was written with. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

const summaryOf = (specs: string | undefined) => (specs ?? "").replace(/\s+/g, " ").trim().slice(0, 140);

/** Columns that mirror field values for lists and KPIs, kept in step with `fields`. */
export function mirroredColumns(values: FieldValues) {
  return {
    productSummary: summaryOf(values.productSpecifications),
    requiredDeliveryDate: values.requiredDeliveryDate ?? null,
    customerRating: values.customerFeedback?.rating ?? null,
  };
}

async function describeChanges(db: Db, orderId: number, sinceVersion: number, timeZone?: string): Promise<ConflictChange[]> {
  const rows = await db
    .select({ at: orderHistory.at, who: accounts.name, kind: orderHistory.kind, subject: orderHistory.subject, before: orderHistory.before, after: orderHistory.after, note: orderHistory.note })
    .from(orderHistory)
    .leftJoin(accounts, eq(accounts.id, orderHistory.actorId))
    .where(and(eq(orderHistory.orderId, orderId), gt(orderHistory.version, sinceVersion)))
    .orderBy(orderHistory.id);
  return rows.map((r) => ({ at: r.at.toISOString(), when: formatDateTime(r.at, timeZone), who: r.who ?? "System", text: describeEvent(r, timeZone) }));
}

async function conflictFailure(db: Db, orderId: number, sinceVersion: number, timeZone?: string): Promise<Failure> {
  const [current] = await db.select({ version: orders.version }).from(orders).where(eq(orders.id, orderId));
  return {
    ok: false,
    formError: "This order changed since you opened it. Review the changes below, then try again.",
    conflict: { currentVersion: current?.version ?? sinceVersion, changes: await describeChanges(db, orderId, sinceVersion, timeZone) },
  };
}

/**
 * The order's field values as they were at `version`: the current ones with every field change
 * since undone (each field takes the `before` of its first change after that version). History
 * is append-only, so the answer for a version never changes.
 */
export async function fieldsAtVersion(db: Db, order: Pick<Order, "id" | "version" | "fields">, version: number): Promise<FieldValues> {
  if (version >= order.version) return order.fields;
  const rows = await db
    .select({ subject: orderHistory.subject, before: orderHistory.before })
    .from(orderHistory)
    .where(and(eq(orderHistory.orderId, order.id), gt(orderHistory.version, version), eq(orderHistory.kind, "fieldChanged")))
    .orderBy(orderHistory.id);
  const out: Record<string, unknown> = { ...order.fields };
  const undone = new Set<string>();
  for (const { subject, before } of rows) {
    if (subject === null || undone.has(subject)) continue;
    undone.add(subject);
    if (before === null) delete out[subject];
    else out[subject] = before;
  }
  return out as FieldValues;
}

/** After-commit work of a change that queued webhook deliveries; the automation pass sends what this misses. */
export const sendWebhooks = async (db: Db) => void (await deliverWebhooks(db, { budgetMs: 15_000 }));

export type Change = { patch: Partial<typeof orders.$inferInsert>; events: Event[]; after?: (tx: Tx, order: Order) => Promise<void> };

/**
 * orders.fields_changed_at as a change leaves it: now when it changes a field of the stage the
 * order is in afterwards, null when it enters a stage without, untouched otherwise.
 */
export function fieldsChangedAt(order: Pick<Order, "stage">, change: Pick<Change, "patch" | "events">, now: Date): { fieldsChangedAt?: Date | null } {
  const stage = change.patch.stage ?? order.stage;
  const entered = change.patch.stageEnteredAt !== undefined || stage !== order.stage;
  const changed = change.events.some((e) => e.kind === "fieldChanged" && (e.stage === undefined ? order.stage : e.stage) === stage);
  return changed ? { fieldsChangedAt: now } : entered ? { fieldsChangedAt: null } : {};
}

/** What happened to an order since a version: enough to tell whether it touches this change. */
export type Since = { kind: HistoryKind; subject: string | null }[];

/** Events that move the order or change its state: any change made on an older view conflicts with them. */
const moves = new Set<HistoryKind>(["stageCompleted", "putOnHold", "revised", "cancelled", "completed"]);

/**
 * The conflict rule for a change made on an older view of the order: only when the order moved
 * (stage or state) or when one of `subjects` (the fields or to-dos this change writes) changed
 * since. A colleague's tick of another to-do is no conflict with a field save.
 */
export const conflictsOn = (subjects: readonly string[]) => (since: Since) =>
  since.some((e) => moves.has(e.kind) || (e.subject !== null && subjects.includes(e.subject)));

/**
 * The stage clock a change leaves (lib/workflow/clock.ts), worked out here for every command:
 * entering a stage starts its clock; a change to the plan of the stage the order is in (the
 * Production Schedule in In Production) moves it, with a history event, and raises the entry's
 * due revision so the time rules alert on the new due time once.
 */
async function withClock(tx: Tx, order: Order, change: Change): Promise<Change> {
  const stage = change.patch.stage ?? order.stage;
  const fields = (change.patch.fields ?? order.fields) as FieldValues;
  if (change.patch.stageEnteredAt) {
    const clock = stageClock(stage, change.patch.stageEnteredAt as Date, fields, await orderCalendars(tx, order.storeId));
    return { ...change, patch: { ...change.patch, stageDueAt: clock.dueAt, stageRiskAt: clock.riskAt } };
  }
  const plan = planField(stage);
  const state = change.patch.state ?? order.state;
  if (!plan || !change.patch.fields || state !== "active" || canonicalJson(order.fields[plan.key]) === canonicalJson(fields[plan.key])) return change;
  const clock = stageClock(stage, order.stageEnteredAt, fields, await orderCalendars(tx, order.storeId));
  const was = storedClock(order);
  if (clock.dueAt.getTime() === was.dueAt.getTime() && clock.riskAt.getTime() === was.riskAt.getTime()) return change;
  return {
    patch: { ...change.patch, stageDueAt: clock.dueAt, stageRiskAt: clock.riskAt },
    events: [...change.events, { kind: "dueMoved", stage, subject: plan.key, before: was.dueAt.toISOString(), after: clock.dueAt.toISOString() }],
    after: async (t, updated) => {
      await t
        .update(stageEntries)
        .set({ dueAt: clock.dueAt, dueRevision: sql`${stageEntries.dueRevision} + 1` })
        .where(and(eq(stageEntries.orderId, order.id), eq(stageEntries.stage, stage), isNull(stageEntries.completedAt)));
      await change.after?.(t, updated);
    },
  };
}

/** Target of a change: the order, the version the person's view was based on, and its conflict rule. */
export type Target = { orderId: number; version: number; conflicts?: (since: Since) => boolean };

/**
 * Loads the order, checks scope, version and policy, lets `decideChange` work out the change,
 * and writes it with its events under a conditional update on the version it loaded.
 */
export async function changeOrder(
  ctx: Ctx,
  target: Target,
  policy: { action: OrderAction; field?: FieldKey } | null,
  decideChange: (order: Order, tx: Tx, now: Date) => Promise<Change | null>,
): Promise<Result<{ order: Order }>> {
  const now = ctx.now ?? new Date();
  let webhooks = 0;
  try {
    const result = await ctx.db.transaction(async (tx) => {
      const [order] = await tx.select().from(orders).where(eq(orders.id, target.orderId));
      const readable = order && decide(ctx.actor, "readOrder", order).ok;
      if (!readable) return refuse({ notFound: true, formError: "Order not found" });
      if (order.version !== target.version) {
        // Without a rule, any change since is a conflict; with one, only what it names.
        const since = target.conflicts && order.version > target.version
          ? await tx.select({ kind: orderHistory.kind, subject: orderHistory.subject }).from(orderHistory).where(and(eq(orderHistory.orderId, order.id), gt(orderHistory.version, target.version)))
          : null;
        if (!since || target.conflicts!(since)) throw new Refusal({ ok: false, formError: "stale" });
      }
      if (policy) {
        const d = decide(ctx.actor, policy.action, order, policy.field);
        if (!d.ok) refuse({ formError: d.reason });
      }
      const decided = await decideChange(order, tx, now);
      if (!decided) return { ok: true as const, order };
      const change = await withClock(tx, order, decided);
      const [updated] = await tx
        .update(orders)
        .set({ ...change.patch, ...fieldsChangedAt(order, change, now), version: sql`${orders.version} + 1`, updatedAt: now })
        .where(and(eq(orders.id, order.id), eq(orders.version, order.version)))
        .returning();
      if (!updated) throw new Refusal({ ok: false, formError: "stale" });
      if (change.events.length) {
        await tx.insert(orderHistory).values(
          change.events.map((e) => ({
            orderId: order.id,
            actorId: ctx.actor.id,
            at: now,
            version: updated.version,
            kind: e.kind,
            stage: e.stage === undefined ? order.stage : e.stage,
            subject: e.subject ?? null,
            before: e.before ?? null,
            after: e.after ?? null,
            note: e.note ?? null,
          })),
        );
      }
      await change.after?.(tx, updated);
      // The webhook outbox (decision 019): the events exist exactly when this change commits.
      webhooks = await queueOrderChange(tx, updated, change.events, order, now);
      // The load per day (decision 027), then the counters last: see moveOrderCount.
      await moveCapacityLoad(tx, order, updated);
      await moveOrderCount(tx, order, updated);
      // Live pages (decision 026) hear of it when, and only if, this commits.
      await notifyOrderChanged(tx, updated);
      return { ok: true as const, order: updated };
    });
    if (webhooks) ctx.afterCommit?.(sendWebhooks);
    return result;
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    if (error.failure.formError === "stale") return conflictFailure(ctx.db, target.orderId, target.version, ctx.actor.timeZone);
    return error.failure;
  }
}
