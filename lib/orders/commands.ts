import "server-only";
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { attachments, inspections, orderHistory, orders, stageEntries } from "@/db/schema";
import type { Order } from "@/db/schema";
import { applyFieldRules } from "@/lib/automation/field-rules";
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
import { atomically, canonicalJson, changeOrder, mirroredColumns, refuse } from "./kernel";
import {
  type AddAttachmentInput,
  type CancelOrderInput,
  type CompleteStageInput,
  type CreateOrderInput,
  type RecordInspectionInput,
  type ReviseOrderInput,
  type SaveFieldsInput,
  type SaveStageInput,
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

function insertOrder(ctx: Ctx, { storeId, fields, submissionToken, files, now }: NewOrder) {
  return ctx.db.transaction(async (tx) => {
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
  let notified = 0;
  const result = await changeOrder(ctx, { orderId, version }, null, async (order, tx, now) => {
    const next: FieldValues = { ...order.fields };
    const fieldErrors: FieldErrors = {};
    for (const [key, raw] of Object.entries(values)) {
      if (!isFieldKey(key)) refuse({ formError: `Unknown field “${key}”` });
      const label = fieldDef(key as FieldKey).label;
      if (stageOfField(key as FieldKey) !== order.stage) refuse({ formError: `${label} is not part of the current stage` });
      if (fieldDef(key as FieldKey).recordedAs) refuse({ formError: `${label} are recorded as ${fieldDef(key as FieldKey).recordedAs}s` });
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
      after: async (tx2, updated) => {
        notified = await applyFieldRules(tx2, updated, changed.map((k) => ({ field: k, before: before[k], after: after[k] })), now);
      },
    };
  });
  // The rules' emails leave after the commit, never from inside the transaction.
  if (result.ok && notified) ctx.afterCommit?.((db) => sendQueuedEmails(db));
  return result.ok ? { ...result, changed } : result;
}

/**
 * The stage form as one gesture: saves the fields this account may edit, then completes the stage
 * when asked, in one transaction, so a stage that cannot complete leaves the fields as they were
 * (and the form keeps what was typed). The input is the stage form's, as its schema parsed it.
 */
export async function saveStage(ctx: Ctx, input: SaveStageInput): Promise<Result<{ message: string }>> {
  const { orderId, intent, editable } = input;
  return atomically(ctx, async (ctx) => {
    let version = input.version;
    let message = "Saved";
    if (editable.length) {
      const saved = await saveFields(ctx, { orderId, version, values: readStageFields(input.stage, input, editable) });
      if (!saved.ok) return saved;
      version = saved.order.version;
      message = saved.changed.length ? `Saved ${saved.changed.length} field${saved.changed.length > 1 ? "s" : ""}` : "No changes to save";
    }
    if (intent === "save") return { ok: true as const, message };
    const completed = await completeStage(ctx, { orderId, version, confirmOpenTodos: input.confirmOpenTodos });
    if (!completed.ok) return completed;
    const o = completed.order;
    message = o.state === "completed" ? "Order completed" : o.state === "onHold" ? "Order put on hold: the store has been alerted" : `Stage completed: now in ${stageDef(o.stage).name}`;
    return { ok: true as const, message };
  });
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
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { orderId, version, qualityCheckResults: inspection } = parsed.data;
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
  const { orderId, version, attachments: files } = parsed.data;
  const checked = await checkFiles(files);
  if (!checked.ok) return { ok: false, fieldErrors: { attachments: [checked.error] }, formError: checked.error };
  return changeOrder(ctx, { orderId, version }, { action: "addAttachment" }, async (order, tx, now) => {
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

export async function completeStage(ctx: Ctx, input: CompleteStageInput): Promise<Result<{ order: Order }>> {
  const parsed = completeStageSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { orderId, version, confirmOpenTodos } = parsed.data;
  return changeOrder(ctx, { orderId, version }, { action: "completeStage" }, async (order, tx, now) => {
    const check = completion(order, await latestInspection(tx, order.id));
    if (Object.keys(check.errors).length) refuse({ fieldErrors: check.errors, formError: "This stage cannot be completed yet" });

    const open = check.openTodos.map((t) => t.label);
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

    const outcome = check.outcome;
    if (outcome.kind === "hold") {
      return { patch: { state: "onHold" }, events: [{ kind: "putOnHold", note: outcome.reason }], after: closeEntry };
    }
    if (outcome.kind === "complete") {
      return { patch: { state: "completed", receivedAt: now }, events: [{ kind: "completed", note }], after: closeEntry };
    }
    const to = outcome.to;
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
