import "server-only";
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { attachments, inspections, orderHistory, orders, stageEntries, stores } from "@/db/schema";
import type { Order } from "@/db/schema";
import { applyFieldRules, applyStageEnteredRules } from "@/lib/automation/field-rules";
import { rollupCompletedOrder, rollupInspection, rollupStageEntry, unrollCancelledOrder } from "@/lib/kpi/rollups";
import { sendQueuedEmails } from "@/lib/automation/outbox";
import { isUniqueViolation } from "@/lib/errors";
import { type Ctx, type Result, zodFailure } from "@/lib/result";
import {
  type FieldErrors,
  type FieldKey,
  type FieldValues,
  completion,
  crossFieldErrors,
  decide,
  dueAt,
  field as fieldDef,
  isFieldKey,
  parseField,
  stage as stageDef,
  stageOfField,
  todoKey,
} from "@/lib/workflow";
import { type CheckedFile, checkFiles } from "./attachments";
import { readStageFields } from "./form";
import { moveOrderCount } from "./counts";
import { type Change, canonicalJson, changeOrder, conflictsOn, mirroredColumns, refuse } from "./kernel";
import {
  type AddAttachmentInput,
  type CancelOrderInput,
  type CompleteStageInput,
  type CreateOrderInput,
  type RecordInspectionInput,
  type ReviseOrderInput,
  type SaveAndCompleteInput,
  type SaveFieldsInput,
  type SaveStageInput,
  type ToggleTodoInput,
  addAttachmentSchema,
  cancelOrderSchema,
  completeStageSchema,
  createOrderSchema,
  recordInspectionSchema,
  reviseOrderSchema,
  saveAndCompleteSchema,
  saveFieldsSchema,
  toggleTodoSchema,
} from "./schemas";

/**
 * Every change to an order: each command validates its input with its schema, and runs in the
 * transaction kernel (kernel.ts), where the policy decides against the loaded order and the change
 * and its history events commit together.
 */

// --- Commands ------------------------------------------------------------------------------

/**
 * Creates an order in Store Order. A form's submission token makes it idempotent: the same
 * submission again (a double click, a retried request, two at once) answers with the order the
 * first one made.
 */
export async function createOrder(ctx: Ctx, input: CreateOrderInput): Promise<Result<{ order: Order }>> {
  const parsed = createOrderSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { storeId, attachments: files, submissionToken, ...values } = parsed.data;
  const allowed = decide(ctx.actor, "createOrder", { storeId, stage: "storeOrder", state: "active" });
  if (!allowed.ok) return { ok: false, fieldErrors: { storeId: ["Choose one of your stores"] }, formError: "You can only create orders for your own store" };
  const earlier = submissionToken ? await orderOfSubmission(ctx, submissionToken) : null;
  if (earlier) return earlier;
  const checked = await checkFiles(files);
  if (!checked.ok) return { ok: false, fieldErrors: { attachments: [checked.error] }, formError: checked.error };
  const now = ctx.now ?? new Date();
  const fields: FieldValues = values;
  try {
    return await insertOrder(ctx, { storeId, fields, submissionToken: submissionToken ?? null, files: checked.files, now });
  } catch (error) {
    // The same submission twice at once: the unique token let one in, and that is the answer.
    const same = submissionToken && isUniqueViolation(error, "orders_submission_token_key") ? await orderOfSubmission(ctx, submissionToken) : null;
    if (same) return same;
    throw error;
  }
}

/** The order an earlier post of the same form made, if any: its own creator gets it back. */
async function orderOfSubmission(ctx: Ctx, token: string): Promise<Result<{ order: Order }> | null> {
  const [order] = await ctx.db.select().from(orders).where(eq(orders.submissionToken, token));
  if (!order) return null;
  if (order.createdBy !== ctx.actor.id) return { ok: false, formError: "This form was already used: reload the page to start a new order" };
  return { ok: true, order };
}

type NewOrder = { storeId: number; fields: FieldValues; submissionToken: string | null; files: CheckedFile[]; now: Date };

function insertOrder(ctx: Ctx, { storeId, fields, submissionToken, files, now }: NewOrder): Promise<Result<{ order: Order }>> {
  return ctx.db.transaction(async (tx) => {
    const [store] = await tx.select({ archivedAt: stores.archivedAt }).from(stores).where(eq(stores.id, storeId)).for("share");
    if (!store) return { ok: false, fieldErrors: { storeId: ["Choose a store"] }, formError: "Choose a store" };
    if (store.archivedAt) {
      const archived = "This store is archived and takes no new orders";
      return { ok: false, fieldErrors: { storeId: [archived] }, formError: archived };
    }
    const [order] = await tx
      .insert(orders)
      .values({
        storeId,
        submissionToken,
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
    if (files.length) {
      await tx.insert(attachments).values(files.map((f) => ({ ...f, orderId: order.id, uploadedBy: ctx.actor.id, createdAt: now })));
      await tx.insert(orderHistory).values({ orderId: order.id, actorId: ctx.actor.id, at: now, version: 1, kind: "attachmentAdded", stage: "storeOrder", subject: files.map((f) => f.filename).join(", ") });
    }
    await moveOrderCount(tx, null, order);
    return { ok: true as const, order };
  });
}

/**
 * The new field values of the current stage, checked: each field with its own schema (every
 * invalid one reported), the stage, the account's right to edit it, then the checks across
 * fields. Refuses unless all are valid; an empty value clears the field.
 */
function fieldChange(ctx: Ctx, order: Order, values: Record<string, unknown>) {
  const next: FieldValues = { ...order.fields };
  const fieldErrors: FieldErrors = {};
  for (const [key, raw] of Object.entries(values)) {
    if (!isFieldKey(key)) refuse({ formError: `Unknown field “${key}”` });
    const def = fieldDef(key as FieldKey);
    if (stageOfField(def.key) !== order.stage) refuse({ formError: `${def.label} is not part of the current stage` });
    if (def.recordedAs) refuse({ formError: `${def.label} are recorded as ${def.recordedAs}s` });
    const d = decide(ctx.actor, "editField", order, def.key);
    if (!d.ok) refuse({ formError: `${def.label}: ${d.reason}` });
    if (raw === undefined || raw === null || raw === "") {
      delete next[def.key];
      continue;
    }
    const field = parseField(def.key, raw);
    if (field.ok) (next as Record<string, unknown>)[key] = field.value;
    else Object.assign(fieldErrors, field.errors);
  }
  Object.assign(fieldErrors, crossFieldErrors(next));
  if (Object.keys(fieldErrors).length) refuse({ fieldErrors, formError: "Check the highlighted fields" });
  const before = order.fields as Record<string, unknown>;
  const after = next as Record<string, unknown>;
  const changed = (Object.keys(values) as FieldKey[]).filter((k) => canonicalJson(before[k]) !== canonicalJson(after[k]));
  return {
    next,
    changed,
    events: changed.map((k) => ({ kind: "fieldChanged" as const, subject: k, before: before[k] ?? null, after: after[k] ?? null })),
    ruleChanges: changed.map((k) => ({ field: k, before: before[k], after: after[k] })),
  };
}

/**
 * Saves fields of the current stage. Made on an older view of the order, it conflicts only
 * when one of the same fields changed since, or the order moved on.
 */
export async function saveFields(ctx: Ctx, input: SaveFieldsInput): Promise<Result<{ order: Order; changed: FieldKey[] }>> {
  const parsed = saveFieldsSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { orderId, version, values } = parsed.data;
  let changed: FieldKey[] = [];
  let notified = 0;
  const result = await changeOrder(ctx, { orderId, version, conflicts: conflictsOn(Object.keys(values)) }, null, async (order, _tx, now) => {
    const change = fieldChange(ctx, order, values);
    changed = change.changed;
    if (!changed.length) return null;
    return {
      patch: { fields: change.next, ...mirroredColumns(change.next) },
      events: change.events,
      after: async (tx2, updated) => {
        notified = await applyFieldRules(tx2, updated, change.ruleChanges, now);
      },
    };
  });
  // The rules' emails leave after the commit, never from inside the transaction.
  if (result.ok && notified) ctx.afterCommit?.((db) => sendQueuedEmails(db));
  return result.ok ? { ...result, changed } : result;
}

/**
 * The stage form as one gesture. "Save" saves the fields the person changed; "Complete stage"
 * saves them and completes the stage in one command (saveAndCompleteStage), so a stage that
 * cannot complete leaves the fields as they were and the form keeps what was typed. Only the
 * fields the person edited are sent (`editable`), each checked against the version it was loaded
 * at. The input is the stage form's, as its schema parsed it.
 */
export async function saveStage(ctx: Ctx, input: SaveStageInput): Promise<Result<{ message: string }>> {
  const { orderId, version, intent, editable, confirmOpenTodos } = input;
  const values = readStageFields(input.stage, input, editable);
  if (intent === "save") {
    if (!Object.keys(values).length) return { ok: true as const, message: "No changes to save" };
    const saved = await saveFields(ctx, { orderId, version, values });
    if (!saved.ok) return saved;
    return { ok: true as const, message: saved.changed.length ? `Saved ${saved.changed.length} field${saved.changed.length > 1 ? "s" : ""}` : "No changes to save" };
  }
  const done = await saveAndCompleteStage(ctx, { orderId, version, values, confirmOpenTodos });
  if (!done.ok) return done;
  const o = done.order;
  const receivedBy = o.fields.receiptConfirmation?.confirmedBy;
  const message =
    o.state === "completed"
      ? `Order completed${receivedBy ? ` — received by ${receivedBy}` : ""}`
      : o.state === "onHold"
        ? "Order put on hold: the store has been alerted"
        : `Stage completed: now in ${stageDef(o.stage).name}`;
  return { ok: true as const, message };
}

export async function toggleTodo(ctx: Ctx, input: ToggleTodoInput): Promise<Result<{ order: Order }>> {
  const parsed = toggleTodoSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { orderId, version, todo, done } = parsed.data;
  return changeOrder(ctx, { orderId, version, conflicts: conflictsOn([todo]) }, { action: "toggleTodo" }, async (order) => {
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
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { orderId, version, qualityCheckResults: inspection } = parsed.data;
  // Inspections are records of their own: two at once are two records, no conflict.
  return changeOrder(ctx, { orderId, version, conflicts: conflictsOn([]) }, { action: "recordInspection" }, async (order, tx, now) => {
    const [recorded] = await tx
      .insert(inspections)
      .values({ orderId: order.id, result: inspection.result, notes: inspection.notes, inspectorId: ctx.actor.id, createdAt: now })
      .returning({ id: inspections.id });
    // KPI rollups (lib/kpi/rollups.ts): the quality figures count it, in this transaction.
    await rollupInspection(tx, recorded.id);
    return {
      patch: { fields: { ...order.fields, qualityCheckResults: inspection } },
      events: [{ kind: "inspectionRecorded", subject: "qualityCheckResults", before: order.fields.qualityCheckResults ?? null, after: inspection }],
    };
  });
}

export async function addAttachments(ctx: Ctx, input: AddAttachmentInput): Promise<Result<{ order: Order }>> {
  const parsed = addAttachmentSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues.map((i) => ({ ...i, path: ["attachments"] })));
  const { orderId, version, attachments: files } = parsed.data;
  const checked = await checkFiles(files);
  if (!checked.ok) return { ok: false, fieldErrors: { attachments: [checked.error] }, formError: checked.error };
  return changeOrder(ctx, { orderId, version, conflicts: conflictsOn([]) }, { action: "addAttachment" }, async (order, tx, now) => {
    await tx.insert(attachments).values(checked.files.map((f) => ({ ...f, orderId: order.id, uploadedBy: ctx.actor.id, createdAt: now })));
    return { patch: {}, events: [{ kind: "attachmentAdded", subject: checked.files.map((f) => f.filename).join(", ") }] };
  });
}

async function latestInspection(tx: Tx, orderId: number) {
  const [latest] = await tx
    .select({ result: inspections.result })
    .from(inspections)
    .where(eq(inspections.orderId, orderId))
    .orderBy(desc(inspections.createdAt), desc(inspections.id))
    .limit(1);
  return latest?.result ?? null;
}

/**
 * Completing the current stage, as the transition function decides it on these field values:
 * refused (nothing written) with everything still missing, or with open to-dos not confirmed;
 * otherwise the move to the next stage, to on hold, or to completed.
 */
/** Notifications a command queued in its transaction: their emails leave after the commit. */
type Queued = { notified: number };

/** Enters a stage: the stage entry, and the "order enters stage" rules for it, in the same transaction. */
export async function enterStage(tx: Tx, order: Pick<Order, "id" | "storeId">, to: Order["stage"], now: Date, queued: Queued) {
  const stageDueAt = dueAt(to, now);
  const [entry] = await tx.insert(stageEntries).values({ orderId: order.id, stage: to, enteredAt: now, dueAt: stageDueAt }).returning({ id: stageEntries.id });
  queued.notified += await applyStageEnteredRules(tx, { id: order.id, storeId: order.storeId, stage: to, state: "active" }, entry.id, now);
}

async function stageMove(ctx: Ctx, order: Order, fields: FieldValues, tx: Tx, now: Date, confirmOpenTodos: boolean, queued: Queued): Promise<Change> {
  const check = completion({ ...order, fields }, await latestInspection(tx, order.id));
  if (Object.keys(check.errors).length) refuse({ fieldErrors: check.errors, formError: "This stage cannot be completed yet" });

  const open = check.openTodos.map((t) => t.label);
  if (open.length && !confirmOpenTodos) {
    refuse({ openTodos: open, formError: `${open.length} to-do${open.length > 1 ? "s are" : " is"} still open: confirm to complete the stage anyway` });
  }
  const note = open.length ? `confirmed with open to-dos: ${open.join("; ")}` : null;
  const closeEntry = async (tx2: Tx) => {
    const closed = await tx2
      .update(stageEntries)
      .set({ completedAt: now, completedBy: ctx.actor.id, openTodosConfirmed: open.length ? open : null })
      .where(and(eq(stageEntries.orderId, order.id), isNull(stageEntries.completedAt)))
      .returning({ id: stageEntries.id });
    // KPI rollups (lib/kpi/rollups.ts): the stage times count the finished entry, in this transaction.
    for (const entry of closed) await rollupStageEntry(tx2, entry.id);
  };

  const outcome = check.outcome;
  if (outcome.kind === "hold") {
    return { patch: { state: "onHold" }, events: [{ kind: "putOnHold", note: outcome.reason }], after: closeEntry };
  }
  if (outcome.kind === "complete") {
    return {
      patch: { state: "completed", receivedAt: now },
      events: [{ kind: "completed", note }],
      after: async (t) => {
        await closeEntry(t);
        // KPI rollups: the delivery figures count the received order.
        await rollupCompletedOrder(t, order.id);
      },
    };
  }
  const to = outcome.to;
  const stageDueAt = dueAt(to, now);
  return {
    patch: { stage: to, stageEnteredAt: now, stageDueAt, ...(order.stage === "storeOrder" && !order.submittedAt ? { submittedAt: now } : {}) },
    events: [{ kind: "stageCompleted", stage: order.stage, before: order.stage, after: { stage: to }, note }],
    after: async (t) => {
      await closeEntry(t);
      await enterStage(t, order, to, now, queued);
    },
  };
}

export async function completeStage(ctx: Ctx, input: CompleteStageInput): Promise<Result<{ order: Order }>> {
  const parsed = completeStageSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { orderId, version, confirmOpenTodos } = parsed.data;
  const queued: Queued = { notified: 0 };
  const result = await changeOrder(ctx, { orderId, version, conflicts: conflictsOn([]) }, { action: "completeStage" }, (order, tx, now) =>
    stageMove(ctx, order, order.fields, tx, now, confirmOpenTodos, queued),
  );
  if (result.ok && queued.notified) ctx.afterCommit?.((db) => sendQueuedEmails(db));
  return result;
}

/**
 * The stage form's "Complete stage": saves the fields and completes the stage as one command in
 * one transaction. When completing is refused, nothing is saved: the form keeps what was typed
 * and says what is missing.
 */
export async function saveAndCompleteStage(ctx: Ctx, input: SaveAndCompleteInput): Promise<Result<{ order: Order; changed: FieldKey[] }>> {
  const parsed = saveAndCompleteSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { orderId, version, values, confirmOpenTodos } = parsed.data;
  let changed: FieldKey[] = [];
  let notified = 0;
  const queued: Queued = { notified: 0 };
  const result = await changeOrder(ctx, { orderId, version, conflicts: conflictsOn(Object.keys(values)) }, { action: "completeStage" }, async (order, tx, now) => {
    const fields = fieldChange(ctx, order, values);
    changed = fields.changed;
    const move = await stageMove(ctx, order, fields.next, tx, now, confirmOpenTodos, queued);
    return {
      patch: { fields: fields.next, ...mirroredColumns(fields.next), ...move.patch },
      events: [...fields.events.map((e) => ({ ...e, stage: order.stage })), ...move.events],
      after: async (tx2, updated) => {
        await move.after?.(tx2, updated);
        // Field rules see the fields as saved in their stage, before the move (a not-feasible
        // order is alerted on although the same command puts it on hold).
        notified = await applyFieldRules(tx2, { ...updated, stage: order.stage, state: order.state }, fields.ruleChanges, now);
      },
    };
  });
  if (result.ok && (notified || queued.notified)) ctx.afterCommit?.((db) => sendQueuedEmails(db));
  return result.ok ? { ...result, changed } : result;
}

export async function reviseOrder(ctx: Ctx, input: ReviseOrderInput): Promise<Result<{ order: Order }>> {
  const parsed = reviseOrderSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const queued: Queued = { notified: 0 };
  const result = await changeOrder(ctx, parsed.data, { action: "reviseOrder" }, async (order, _tx, now) => {
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
        proposal: null,
      },
      events: [{ kind: "revised", stage: "storeOrder", before: { stage: order.stage, state: order.state }, after: { stage: "storeOrder", state: "active" } }],
      after: async (t) => {
        await enterStage(t, order, "storeOrder", now, queued);
      },
    };
  });
  if (result.ok && queued.notified) ctx.afterCommit?.((db) => sendQueuedEmails(db));
  return result;
}

export async function cancelOrder(ctx: Ctx, input: CancelOrderInput): Promise<Result<{ order: Order }>> {
  const parsed = cancelOrderSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { orderId, version, reason } = parsed.data;
  return changeOrder(ctx, { orderId, version }, { action: "cancelOrder" }, async (order, _tx, now) => ({
    patch: { state: "cancelled", cancelReason: reason },
    events: [{ kind: "cancelled", before: { state: order.state }, after: { state: "cancelled" }, note: reason }],
    after: async (t) => {
      // KPI rollups: a cancelled order's stage entries leave the stage times (before its open one is closed).
      await unrollCancelledOrder(t, order.id);
      await t.update(stageEntries).set({ completedAt: now, completedBy: ctx.actor.id }).where(and(eq(stageEntries.orderId, order.id), isNull(stageEntries.completedAt)));
    },
  }));
}
