import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { accounts, attachments, inspections, orderHistory, orders, stageEntries } from "@/db/schema";
import type { HistoryKind, Order } from "@/db/schema";
import { applyFieldRules } from "@/lib/automation/field-rules";
import {
  type Actor,
  type FieldErrors,
  type FieldKey,
  type FieldValues,
  type OrderAction,
  crossFieldErrors,
  decide,
  dueAt,
  field as fieldDef,
  isFieldKey,
  missingRequiredFields,
  nextStage,
  openTodos,
  parseField,
  stage as stageDef,
  stageOfField,
  todoKey,
} from "@/lib/workflow";
import { checkFiles } from "./attachments";
import { displayValue } from "./form";
import {
  type AddAttachmentInput,
  type CancelOrderInput,
  type CompleteStageInput,
  type CreateOrderInput,
  type RecordInspectionInput,
  type ReviseOrderInput,
  type SaveFieldsInput,
  type ToggleTodoInput,
  addAttachmentSchema,
  cancelOrderSchema,
  completeStageSchema,
  createOrderSchema,
  recordInspectionSchema,
  reviseOrderSchema,
  saveFieldsSchema,
  toggleTodoSchema,
} from "./schemas";

/**
 * Every change to an order goes through here: the policy decides, the change and its history
 * event commit in one transaction, and a conditional update on `version` refuses a stale write.
 */

export type Ctx = { db: Db; actor: Actor; now?: Date };

export type ConflictChange = { at: string; who: string; text: string };
export type Failure = {
  ok: false;
  formError?: string;
  fieldErrors?: FieldErrors;
  notFound?: boolean;
  conflict?: { currentVersion: number; changes: ConflictChange[] };
  /** Open to-dos that completing the stage needs confirmed. */
  openTodos?: string[];
};
export type Result<T = object> = ({ ok: true } & T) | Failure;

class Refusal extends Error {
  constructor(readonly failure: Failure) {
    super(failure.formError ?? "refused");
  }
}
const refuse = (failure: Omit<Failure, "ok">): never => {
  throw new Refusal({ ok: false, ...failure });
};

function zodFailure(issues: { path: PropertyKey[]; message: string }[]): Failure {
  const fieldErrors: FieldErrors = {};
  for (const issue of issues) (fieldErrors[issue.path.map(String).join(".") || "form"] ??= []).push(issue.message);
  return { ok: false, fieldErrors, formError: "Check the highlighted fields" };
}

type Event = { kind: HistoryKind; stage?: Order["stage"] | null; subject?: string | null; before?: unknown; after?: unknown; note?: string | null };

/** JSON with object keys sorted: jsonb does not keep the key order a value was written with. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

const summaryOf = (specs: string | undefined) => (specs ?? "").replace(/\s+/g, " ").trim().slice(0, 140);

/** Columns that mirror field values for lists and KPIs, kept in step with `fields`. */
function mirroredColumns(values: FieldValues) {
  return {
    productSummary: summaryOf(values.productSpecifications),
    requiredDeliveryDate: values.requiredDeliveryDate ?? null,
    customerRating: values.customerFeedback?.rating ?? null,
  };
}

async function describeChanges(db: Db, orderId: number, sinceVersion: number): Promise<ConflictChange[]> {
  const rows = await db
    .select({ at: orderHistory.at, who: accounts.name, kind: orderHistory.kind, subject: orderHistory.subject, before: orderHistory.before, after: orderHistory.after, note: orderHistory.note })
    .from(orderHistory)
    .leftJoin(accounts, eq(accounts.id, orderHistory.actorId))
    .where(and(eq(orderHistory.orderId, orderId), gt(orderHistory.version, sinceVersion)))
    .orderBy(orderHistory.id);
  return rows.map((r) => ({ at: r.at.toISOString(), who: r.who ?? "System", text: describeEvent(r) }));
}

/** One line for a history event, used by the timeline and the conflict message alike. */
export function describeEvent(e: { kind: HistoryKind; subject: string | null; before: unknown; after: unknown; note: string | null }): string {
  const show = (v: unknown) => (v === null || v === undefined ? "—" : typeof v === "object" ? JSON.stringify(v) : String(v));
  switch (e.kind) {
    case "fieldChanged": {
      if (!e.subject || !isFieldKey(e.subject)) return `${e.subject}: ${show(e.before)} → ${show(e.after)}`;
      const key = e.subject;
      const shown = (v: unknown) => displayValue(key, { [key]: v } as FieldValues) ?? "—";
      return `${fieldDef(key).label}: ${shown(e.before)} → ${shown(e.after)}`;
    }
    case "todoChanged": {
      const [s, t] = (e.subject ?? "").split(".");
      const label = stageDef(s as Order["stage"])?.todos.find((x) => x.key === t)?.label ?? e.subject;
      return `${e.after ? "Ticked" : "Unticked"} “${label}”`;
    }
    case "inspectionRecorded": {
      const a = e.after as { result: string; notes?: string };
      return `Quality inspection: ${a.result}${a.notes ? ` — ${a.notes}` : ""}`;
    }
    case "attachmentAdded":
      return `Attached ${e.subject}`;
    case "stageCompleted": {
      const a = e.after as { stage: Order["stage"] };
      return `Completed ${stageDef(e.before as Order["stage"]).name}; now in ${stageDef(a.stage).name}${e.note ? ` (${e.note})` : ""}`;
    }
    case "putOnHold":
      return `Put on hold: not feasible${e.note ? ` (${e.note})` : ""}`;
    case "revised":
      return "Revised: back to Store Order";
    case "cancelled":
      return `Cancelled: ${e.note ?? ""}`;
    case "completed":
      return `Order completed${e.note ? ` (${e.note})` : ""}`;
    case "created":
      return "Order created";
  }
}

async function conflictFailure(db: Db, orderId: number, sinceVersion: number): Promise<Failure> {
  const [current] = await db.select({ version: orders.version }).from(orders).where(eq(orders.id, orderId));
  return {
    ok: false,
    formError: "This order changed since you opened it. Review the changes below, then try again.",
    conflict: { currentVersion: current?.version ?? sinceVersion, changes: await describeChanges(db, orderId, sinceVersion) },
  };
}

type Change = { patch: Partial<typeof orders.$inferInsert>; events: Event[]; after?: (tx: Tx, order: Order) => Promise<void> };

/**
 * Loads the order, checks scope, version and policy, lets `decideChange` work out the change,
 * and writes it with its events under a conditional update on the version.
 */
async function changeOrder(
  ctx: Ctx,
  target: { orderId: number; version: number },
  policy: { action: OrderAction; field?: FieldKey } | null,
  decideChange: (order: Order, tx: Tx, now: Date) => Promise<Change | null>,
): Promise<Result<{ order: Order }>> {
  const now = ctx.now ?? new Date();
  try {
    return await ctx.db.transaction(async (tx) => {
      const [order] = await tx.select().from(orders).where(eq(orders.id, target.orderId));
      const readable = order && decide(ctx.actor, "readOrder", order).ok;
      if (!readable) return refuse({ notFound: true, formError: "Order not found" });
      if (order.version !== target.version) throw new Refusal({ ok: false, formError: "stale" });
      if (policy) {
        const d = decide(ctx.actor, policy.action, order, policy.field);
        if (!d.ok) refuse({ formError: d.reason });
      }
      const change = await decideChange(order, tx, now);
      if (!change) return { ok: true as const, order };
      const [updated] = await tx
        .update(orders)
        .set({ ...change.patch, version: sql`${orders.version} + 1`, updatedAt: now })
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
      return { ok: true as const, order: updated };
    });
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    if (error.failure.formError === "stale") return conflictFailure(ctx.db, target.orderId, target.version);
    return error.failure;
  }
}

// --- Commands ------------------------------------------------------------------------------

export async function createOrder(ctx: Ctx, input: CreateOrderInput, files: File[] = []): Promise<Result<{ order: Order }>> {
  const parsed = createOrderSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { storeId, ...values } = parsed.data;
  const allowed = decide(ctx.actor, "createOrder", { storeId, stage: "storeOrder", state: "active" });
  if (!allowed.ok) return { ok: false, formError: "You can only create orders for your own store" };
  const checked = await checkFiles(files.filter((f) => f.size > 0));
  if (!checked.ok) return { ok: false, fieldErrors: { attachments: [checked.error] }, formError: checked.error };
  const now = ctx.now ?? new Date();
  const fields: FieldValues = values;
  return ctx.db.transaction(async (tx) => {
    const [order] = await tx
      .insert(orders)
      .values({
        storeId,
        stage: "storeOrder",
        state: "active",
        stageEnteredAt: now,
        stageDueAt: dueAt("storeOrder", now),
        fields,
        ...mirroredColumns(fields),
        createdBy: ctx.actor.id,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await tx.insert(stageEntries).values({ orderId: order.id, stage: "storeOrder", enteredAt: now, dueAt: order.stageDueAt });
    await tx.insert(orderHistory).values({ orderId: order.id, actorId: ctx.actor.id, at: now, version: 1, kind: "created", stage: "storeOrder", after: fields });
    if (checked.files.length) {
      await tx.insert(attachments).values(checked.files.map((f) => ({ ...f, orderId: order.id, uploadedBy: ctx.actor.id, createdAt: now })));
      await tx.insert(orderHistory).values({ orderId: order.id, actorId: ctx.actor.id, at: now, version: 1, kind: "attachmentAdded", stage: "storeOrder", subject: checked.files.map((f) => f.filename).join(", ") });
    }
    return { ok: true as const, order };
  });
}

/**
 * Saves fields of the current stage. Every field is validated with its own schema and every
 * invalid one reported; nothing is saved unless all are valid. An empty value clears the field.
 */
export async function saveFields(ctx: Ctx, input: SaveFieldsInput): Promise<Result<{ order: Order; changed: FieldKey[] }>> {
  const parsed = saveFieldsSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { orderId, version, values } = parsed.data;
  let changed: FieldKey[] = [];
  const result = await changeOrder(ctx, { orderId, version }, null, async (order, tx, now) => {
    const next: FieldValues = { ...order.fields };
    const fieldErrors: FieldErrors = {};
    for (const [key, raw] of Object.entries(values)) {
      if (!isFieldKey(key)) refuse({ formError: `Unknown field “${key}”` });
      const label = fieldDef(key as FieldKey).label;
      if (stageOfField(key as FieldKey) !== order.stage) refuse({ formError: `${label} is not part of the current stage` });
      if (key === "qualityCheckResults") refuse({ formError: "Quality Check Results are recorded as inspections" });
      const d = decide(ctx.actor, "editField", order, key as FieldKey);
      if (!d.ok) refuse({ formError: `${label}: ${d.reason}` });
      if (raw === undefined || raw === null || raw === "") {
        delete next[key as FieldKey];
        continue;
      }
      const field = parseField(key as FieldKey, raw);
      if (field.ok) (next as Record<string, unknown>)[key] = field.value;
      else Object.assign(fieldErrors, field.errors);
    }
    Object.assign(fieldErrors, crossFieldErrors(next));
    if (Object.keys(fieldErrors).length) refuse({ fieldErrors, formError: "Check the highlighted fields" });

    const before = order.fields as Record<string, unknown>;
    const after = next as Record<string, unknown>;
    changed = (Object.keys(values) as FieldKey[]).filter((k) => canonicalJson(before[k]) !== canonicalJson(after[k]));
    if (!changed.length) return null;
    return {
      patch: { fields: next, ...mirroredColumns(next) },
      events: changed.map((k) => ({ kind: "fieldChanged" as const, subject: k, before: before[k] ?? null, after: after[k] ?? null })),
      after: (tx2, updated) => applyFieldRules(tx2, updated, changed.map((k) => ({ field: k, before: before[k], after: after[k] })), now),
    };
  });
  return result.ok ? { ...result, changed } : result;
}

export async function toggleTodo(ctx: Ctx, input: ToggleTodoInput): Promise<Result<{ order: Order }>> {
  const parsed = toggleTodoSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { orderId, version, todo, done } = parsed.data;
  return changeOrder(ctx, { orderId, version }, { action: "toggleTodo" }, async (order) => {
    const current = stageDef(order.stage).todos.some((t) => todoKey(order.stage, t.key) === todo);
    if (!current) refuse({ formError: "That to-do is not part of the current stage" });
    const was = order.doneTodos.includes(todo);
    if (was === done) return null;
    return {
      patch: { doneTodos: done ? [...order.doneTodos, todo] : order.doneTodos.filter((t) => t !== todo) },
      events: [{ kind: "todoChanged", subject: todo, before: was, after: done }],
    };
  });
}

export async function recordInspection(ctx: Ctx, input: RecordInspectionInput): Promise<Result<{ order: Order }>> {
  const parsed = recordInspectionSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues.map((i) => ({ ...i, path: ["qualityCheckResults", ...i.path.slice(1)] })));
  const { orderId, version, inspection } = parsed.data;
  return changeOrder(ctx, { orderId, version }, { action: "recordInspection" }, async (order, tx, now) => {
    await tx.insert(inspections).values({ orderId: order.id, result: inspection.result, notes: inspection.notes, inspectorId: ctx.actor.id, createdAt: now });
    return {
      patch: { fields: { ...order.fields, qualityCheckResults: inspection } },
      events: [{ kind: "inspectionRecorded", subject: "qualityCheckResults", before: order.fields.qualityCheckResults ?? null, after: inspection }],
    };
  });
}

export async function addAttachments(ctx: Ctx, input: AddAttachmentInput): Promise<Result<{ order: Order }>> {
  const parsed = addAttachmentSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues.map((i) => ({ ...i, path: ["attachments"] })));
  const { orderId, version, files } = parsed.data;
  const checked = await checkFiles(files);
  if (!checked.ok) return { ok: false, fieldErrors: { attachments: [checked.error] }, formError: checked.error };
  return changeOrder(ctx, { orderId, version }, { action: "addAttachment" }, async (order, tx, now) => {
    await tx.insert(attachments).values(checked.files.map((f) => ({ ...f, orderId: order.id, uploadedBy: ctx.actor.id, createdAt: now })));
    return { patch: {}, events: [{ kind: "attachmentAdded", subject: checked.files.map((f) => f.filename).join(", ") }] };
  });
}

/** Why the stage cannot complete yet, beyond required fields: the stage's own gates. */
async function stageGateErrors(tx: Tx, order: Order): Promise<FieldErrors> {
  if (order.stage !== "inProduction") return {};
  const errors: FieldErrors = {};
  if (order.fields.productionStatus !== "completed") errors.productionStatus = ["Production Status must be Completed"];
  if (order.fields.completionPercentage !== 100) errors.completionPercentage = ["Completion Percentage must be 100"];
  const [latest] = await tx
    .select({ result: inspections.result })
    .from(inspections)
    .where(eq(inspections.orderId, order.id))
    .orderBy(desc(inspections.createdAt), desc(inspections.id))
    .limit(1);
  if (latest?.result !== "pass") {
    errors.qualityCheckResults = [latest ? "The latest inspection failed: rework and inspect again" : "Quality control has not inspected the order yet"];
  }
  return errors;
}

export async function completeStage(ctx: Ctx, input: CompleteStageInput): Promise<Result<{ order: Order }>> {
  const parsed = completeStageSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { orderId, version, confirmOpenTodos } = parsed.data;
  return changeOrder(ctx, { orderId, version }, { action: "completeStage" }, async (order, tx, now) => {
    const fieldErrors: FieldErrors = crossFieldErrors(order.fields);
    for (const key of missingRequiredFields(order.stage, order.fields)) {
      fieldErrors[key] ??= [`${fieldDef(key).label} is required`];
    }
    Object.assign(fieldErrors, await stageGateErrors(tx, order));
    if (Object.keys(fieldErrors).length) refuse({ fieldErrors, formError: "This stage cannot be completed yet" });

    const open = openTodos(order.stage, order.doneTodos).map((t) => t.label);
    if (open.length && !confirmOpenTodos) {
      refuse({ openTodos: open, formError: `${open.length} to-do${open.length > 1 ? "s are" : " is"} still open: confirm to complete the stage anyway` });
    }
    const note = open.length ? `confirmed with open to-dos: ${open.join("; ")}` : null;
    const closeEntry = async (tx2: Tx) => {
      await tx2
        .update(stageEntries)
        .set({ completedAt: now, completedBy: ctx.actor.id, openTodosConfirmed: open.length ? open : null })
        .where(and(eq(stageEntries.orderId, order.id), isNull(stageEntries.completedAt)));
    };

    if (order.stage === "dispatchReceiving" && order.fields.orderFeasibility?.decision === "notFeasible") {
      return { patch: { state: "onHold" }, events: [{ kind: "putOnHold", note: order.fields.orderFeasibility.reason }], after: closeEntry };
    }
    const to = nextStage(order.stage);
    if (!to) {
      return { patch: { state: "completed", receivedAt: now }, events: [{ kind: "completed", note }], after: closeEntry };
    }
    const stageDueAt = dueAt(to, now);
    return {
      patch: { stage: to, stageEnteredAt: now, stageDueAt, ...(order.stage === "storeOrder" && !order.submittedAt ? { submittedAt: now } : {}) },
      events: [{ kind: "stageCompleted", stage: order.stage, before: order.stage, after: { stage: to }, note }],
      after: async (t) => {
        await closeEntry(t);
        await t.insert(stageEntries).values({ orderId: order.id, stage: to, enteredAt: now, dueAt: stageDueAt });
      },
    };
  });
}

export async function reviseOrder(ctx: Ctx, input: ReviseOrderInput): Promise<Result<{ order: Order }>> {
  const parsed = reviseOrderSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  return changeOrder(ctx, parsed.data, { action: "reviseOrder" }, async (order, _tx, now) => {
    // Dispatch decides feasibility anew on the revised order.
    const fields = { ...order.fields };
    delete fields.orderFeasibility;
    const stageDueAt = dueAt("storeOrder", now);
    return {
      patch: {
        state: "active",
        stage: "storeOrder",
        stageEnteredAt: now,
        stageDueAt,
        fields,
        doneTodos: order.doneTodos.filter((t) => !t.startsWith("dispatchReceiving.")),
      },
      events: [{ kind: "revised", stage: "storeOrder", before: { stage: order.stage, state: order.state }, after: { stage: "storeOrder", state: "active" } }],
      after: async (t) => {
        await t.insert(stageEntries).values({ orderId: order.id, stage: "storeOrder", enteredAt: now, dueAt: stageDueAt });
      },
    };
  });
}

export async function cancelOrder(ctx: Ctx, input: CancelOrderInput): Promise<Result<{ order: Order }>> {
  const parsed = cancelOrderSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { orderId, version, reason } = parsed.data;
  return changeOrder(ctx, { orderId, version }, { action: "cancelOrder" }, async (order, _tx, now) => ({
    patch: { state: "cancelled", cancelReason: reason },
    events: [{ kind: "cancelled", before: { state: order.state }, after: { state: "cancelled" }, note: reason }],
    after: async (t) => {
      await t.update(stageEntries).set({ completedAt: now, completedBy: ctx.actor.id }).where(and(eq(stageEntries.orderId, order.id), isNull(stageEntries.completedAt)));
    },
  }));
}
