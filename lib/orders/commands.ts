import "server-only";
import { and, count, desc, eq, isNull, like } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { attachments, fileUploads, inspectionFailReasons, inspections, orderHistory, orders, stageEntries, stores } from "@/db/schema";
import { checkFailReasons } from "@/lib/fail-reasons/commands";
import { uploadLimits } from "@/lib/env";
import { safeFilename } from "@/lib/forms/input";
import { UPLOAD_URL_SECONDS, fileStore } from "@/lib/storage";
import type { Order } from "@/db/schema";
import { applyFieldRules, applyInspectionRules, applyOrderEventRules, applyStageEnteredRules } from "@/lib/automation/field-rules";
import { rollupCompletedOrder, rollupInspection, rollupStageEntry, unrollCancelledOrder } from "@/lib/kpi/rollups";
import { sendQueuedEmails } from "@/lib/email/outbox";
import { isUniqueViolation } from "@/lib/errors";
import { type Ctx, type Result, zodFailure } from "@/lib/result";
import {
  type FieldErrors,
  type FieldKey,
  type FieldValues,
  type StageKey,
  completion,
  crossFieldErrors,
  decide,
  entryErrors,
  field as fieldDef,
  isFieldKey,
  isUnchanged,
  parseField,
  firstStage,
  returnTo,
  stage as stageDef,
  stageClock,
  stageOfField,
  todoKey,
} from "@/lib/workflow";
import { type StoredFile, checkFiles, checkUploads, claimUploads, newFileKey, storeFiles } from "./attachments";
import { discardFiles } from "@/lib/storage/housekeeping";
import { changedFields, formDefaults, formTimeZone, readStageFields } from "./form";
import { directUploadProblem } from "./uploads";
import { queueOrderChange } from "@/lib/webhooks/outbox";
import { type Change, Refusal, canonicalJson, changeOrder, conflictsOn, fieldsAtVersion, mirroredColumns, refuse, sendWebhooks } from "./kernel";
import { notifyOrderChanged } from "@/db/notify";
import { moveOrderCount } from "./counts";
import { scheduleCheck } from "@/lib/planning/check";
import { orderCalendars } from "@/db/queries/calendars";
import {
  type AddAttachmentInput,
  type CancelOrderInput,
  type CompleteStageInput,
  type CreateOrderInput,
  type PrepareUploadInput,
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
  prepareUploadSchema,
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
  const { storeId, attachments: files, uploads, submissionToken, ...values } = parsed.data;
  const allowed = decide(ctx.actor, "createOrder", { storeId, stage: firstStage, state: "active" });
  if (!allowed.ok) return { ok: false, fieldErrors: { storeId: ["Choose one of your stores"] }, formError: "You can only create orders for your own store" };
  const earlier = submissionToken ? await orderOfSubmission(ctx, submissionToken) : null;
  if (earlier) return earlier;
  const checked = await checkFiles(files);
  if (!checked.ok) return { ok: false, fieldErrors: { attachments: [checked.error] }, formError: checked.error };
  const sent = await checkUploads(ctx.db, ctx.actor.id, uploads, { storeId });
  if (!sent.ok) return { ok: false, fieldErrors: { attachments: [sent.error] }, formError: sent.error };
  const now = ctx.now ?? new Date();
  const fields: FieldValues = values;
  const posted = await storeFiles(checked.files);
  try {
    const made = await insertOrder(ctx, { storeId, fields, submissionToken: submissionToken ?? null, files: [...posted, ...sent.files], uploads, now });
    if (!made.ok) {
      await discardFiles(posted.map((f) => f.storageKey));
      return made;
    }
    if (made.webhooks) ctx.afterCommit?.(sendWebhooks);
    return { ok: true as const, order: made.order };
  } catch (error) {
    await discardFiles(posted.map((f) => f.storageKey));
    // The same submission twice at once: the unique token (or the uploads, taken once) let one
    // in, and that is the answer.
    const twice = isUniqueViolation(error, "orders_submission_token_key") || error instanceof Refusal;
    const same = submissionToken && twice ? await orderOfSubmission(ctx, submissionToken) : null;
    if (same) return same;
    if (error instanceof Refusal) return error.failure;
    throw error;
  }
}

/** The message for uploads another request attached first. */
const UPLOADS_TAKEN = "These files were attached already: reload the page";

/**
 * A signed URL to send one file straight to the file store (lib/storage), for an order this
 * account may add attachments to, or for an order it is creating in one of its stores. The file
 * is attached afterwards, by addAttachments or createOrder naming the upload's id, once its size
 * and first bytes have been checked. `url` is relative for the local folder (the app's own route).
 */
export async function prepareUpload(ctx: Ctx, input: PrepareUploadInput): Promise<Result<{ upload: { id: string; url: string; headers: Record<string, string>; expiresAt: Date } }>> {
  const parsed = prepareUploadSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { orderId, storeId, size } = parsed.data;
  const filename = safeFilename(parsed.data.filename);
  const problem = directUploadProblem([{ name: filename, size }], uploadLimits());
  if (problem) return { ok: false, fieldErrors: { attachments: [problem] }, formError: problem };
  if (orderId !== undefined) {
    const [order] = await ctx.db.select({ storeId: orders.storeId, stage: orders.stage, state: orders.state }).from(orders).where(eq(orders.id, orderId));
    if (!order || !decide(ctx.actor, "readOrder", order).ok) return { ok: false, notFound: true, formError: "Order not found" };
    const d = decide(ctx.actor, "addAttachment", order);
    if (!d.ok) return { ok: false, formError: d.reason };
  } else if (!decide(ctx.actor, "createOrder", { storeId: storeId!, stage: firstStage, state: "active" }).ok) {
    return { ok: false, fieldErrors: { storeId: ["Choose one of your stores"] }, formError: "You can only create orders for your own store" };
  }
  const now = ctx.now ?? new Date();
  const expiresAt = new Date(now.getTime() + UPLOAD_URL_SECONDS * 1000);
  const key = newFileKey();
  const [row] = await ctx.db
    .insert(fileUploads)
    .values({ key, accountId: ctx.actor.id, orderId: orderId ?? null, storeId: orderId === undefined ? storeId! : null, filename, size, createdAt: now, expiresAt })
    .returning({ id: fileUploads.id });
  const { url, headers } = await fileStore().uploadUrl(key, { size, expiresInSeconds: UPLOAD_URL_SECONDS });
  return { ok: true, upload: { id: row.id, url, headers, expiresAt } };
}

/** The order an earlier post of the same form made, if any: its own creator gets it back. */
async function orderOfSubmission(ctx: Ctx, token: string): Promise<Result<{ order: Order }> | null> {
  const [order] = await ctx.db.select().from(orders).where(eq(orders.submissionToken, token));
  if (!order) return null;
  if (order.createdBy !== ctx.actor.id) return { ok: false, formError: "This form was already used: reload the page to start a new order" };
  return { ok: true, order };
}

type NewOrder = { storeId: number; fields: FieldValues; submissionToken: string | null; files: StoredFile[]; uploads: readonly string[]; now: Date };

function insertOrder(ctx: Ctx, { storeId, fields, submissionToken, files, uploads, now }: NewOrder): Promise<Result<{ order: Order; webhooks: number }>> {
  return ctx.db.transaction(async (tx) => {
    if (!(await claimUploads(tx, uploads))) refuse({ fieldErrors: { attachments: [UPLOADS_TAKEN] }, formError: UPLOADS_TAKEN });
    const [store] = await tx.select({ archivedAt: stores.archivedAt }).from(stores).where(eq(stores.id, storeId)).for("share");
    if (!store) return { ok: false, fieldErrors: { storeId: ["Choose a store"] }, formError: "Choose a store" };
    if (store.archivedAt) {
      const archived = "This store is archived and takes no new orders";
      return { ok: false, fieldErrors: { storeId: [archived] }, formError: archived };
    }
    const clock = stageClock(firstStage, now, fields, await orderCalendars(tx, storeId));
    const [order] = await tx
      .insert(orders)
      .values({
        storeId,
        submissionToken,
        stage: firstStage,
        state: "active",
        stageEnteredAt: now,
        stageDueAt: clock.dueAt,
        stageRiskAt: clock.riskAt,
        fields,
        ...mirroredColumns(fields),
        createdBy: ctx.actor.id,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await tx.insert(stageEntries).values({ orderId: order.id, stage: firstStage, enteredAt: now, dueAt: order.stageDueAt });
    await tx.insert(orderHistory).values({ orderId: order.id, actorId: ctx.actor.id, at: now, version: 1, kind: "created", stage: firstStage, after: fields });
    if (files.length) {
      await tx.insert(attachments).values(files.map((f) => ({ ...f, stage: firstStage, orderId: order.id, uploadedBy: ctx.actor.id, createdAt: now })));
      await tx.insert(orderHistory).values({ orderId: order.id, actorId: ctx.actor.id, at: now, version: 1, kind: "attachmentAdded", stage: firstStage, subject: files.map((f) => f.filename).join(", ") });
    }
    const webhooks = await queueOrderChange(tx, order, [{ kind: "created" }], order, now);
    // Last in the transaction: see moveOrderCount.
    await moveOrderCount(tx, null, order);
    await notifyOrderChanged(tx, order);
    return { ok: true as const, order, webhooks };
  });
}

/**
 * The new field values of the current stage, checked: each field with its own schema (every
 * invalid one reported), the stage, the account's right to edit it, then the checks across
 * fields. Refuses unless all are valid; an empty value clears the field.
 */
function fieldChange(ctx: Ctx, order: Order, values: Record<string, unknown>, confirmedLate = false) {
  const next: FieldValues = { ...order.fields };
  const fieldErrors: FieldErrors = {};
  const entered: FieldKey[] = [];
  for (const [key, raw] of Object.entries(values)) {
    if (!isFieldKey(key)) refuse({ formError: `Unknown field “${key}”` });
    const def = fieldDef(key as FieldKey);
    // A stage's plan (the Production Schedule) is also changed in the stage it plans.
    if (stageOfField(def.key) !== order.stage && def.plans !== order.stage) refuse({ formError: `${def.label} is not part of the current stage` });
    if (def.recordedAs) refuse({ formError: `${def.label} are recorded as ${def.recordedAs}s` });
    const d = decide(ctx.actor, "editField", order, def.key);
    if (!d.ok) refuse({ formError: `${def.label}: ${d.reason}` });
    if (raw === undefined || raw === null || raw === "") {
      delete next[def.key];
      continue;
    }
    // Only a change is checked as an entry: the stored date that has since passed stays as it is.
    if (isUnchanged(def.key, raw, order.fields[def.key])) continue;
    const field = parseField(def.key, raw);
    if (field.ok) {
      (next as Record<string, unknown>)[key] = field.value;
      entered.push(def.key);
    } else Object.assign(fieldErrors, field.errors);
  }
  for (const key of entered) Object.assign(fieldErrors, entryErrors(key, next, { confirmedLate, now: ctx.now }));
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
 * The capacity question (decision 027): a schedule change that adds load to a day over the shop's
 * capacity is refused with the days and the earliest planned end that fits, unless confirmed;
 * confirmed, the Production Schedule's history event says so.
 */
async function capacityCheck(tx: Tx, order: Order, change: ReturnType<typeof fieldChange>, after: Pick<Order, "stage" | "state">, confirmed: boolean, now: Date) {
  if (!change.changed.includes("productionSchedule") && !change.changed.includes("orderQuantity")) return change.events;
  const check = await scheduleCheck(tx, order, { ...after, fields: change.next }, confirmed, now);
  if (check.errors) refuse({ fieldErrors: check.errors, formError: "Check the highlighted fields" });
  if (!check.note) return change.events;
  return change.events.map((e) => (e.subject === "productionSchedule" ? { ...e, note: check.note } : e));
}

/**
 * Saves fields of the current stage. Made on an older view of the order, it conflicts only
 * when one of the same fields changed since, or the order moved on.
 */
export async function saveFields(ctx: Ctx, input: SaveFieldsInput, photos: StoredFile[] = []): Promise<Result<{ order: Order; changed: FieldKey[] }>> {
  const parsed = saveFieldsSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { orderId, version, values, confirmLateEstimate, confirmOverload } = parsed.data;
  let changed: FieldKey[] = [];
  let notified = 0;
  const result = await changeOrder(ctx, { orderId, version, conflicts: conflictsOn(Object.keys(values)) }, null, async (order, tx, now) => {
    const change = fieldChange(ctx, order, values, confirmLateEstimate);
    changed = change.changed;
    const events = await capacityCheck(tx, order, change, order, confirmOverload, now);
    const attached = await attachInStage(ctx, tx, order, photos, now);
    if (!changed.length && !attached.length) return null;
    return {
      patch: { fields: change.next, ...mirroredColumns(change.next) },
      events: [...events, ...attached],
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
 * cannot complete leaves the fields as they were and the form keeps what was typed. The form is a
 * plain HTML form: it submits every field the account may edit (`editable`; after hydration only
 * the edited ones), and a field whose controls hold what the form drew for the version it was
 * loaded at is dropped here. So an untouched field never overwrites a colleague's newer value,
 * and each changed field is checked against that version. The input is the stage form's, as its
 * schema parsed it.
 */
export async function saveStage(ctx: Ctx, input: SaveStageInput): Promise<Result<{ message: string }>> {
  const { orderId, version, intent, editable, confirmOpenTodos, confirmLateEstimate, confirmOverload } = input;
  // Compared only once the account may read the order: "no changes" must not tell an outsider
  // what another store's order holds.
  const [order] = await ctx.db.select({ id: orders.id, storeId: orders.storeId, stage: orders.stage, state: orders.state, version: orders.version, fields: orders.fields }).from(orders).where(eq(orders.id, orderId));
  if (!order || !decide(ctx.actor, "readOrder", order).ok) return { ok: false, notFound: true, formError: "Order not found" };
  const zone = formTimeZone(input) ?? ctx.actor.timeZone ?? "UTC";
  const drawn = formDefaults(await fieldsAtVersion(ctx.db, order, version), zone);
  const values = readStageFields(input.stage, input, changedFields(input.stage, input, editable, drawn), zone);
  const checked = await checkFiles(input.photos ?? []);
  if (!checked.ok) return { ok: false, fieldErrors: { photos: [checked.error] }, formError: checked.error };
  // Posted photos reach the file store only for a request that may attach them (the kernel
  // decides again, against the order as it is then); a refused or failed save removes them.
  if (checked.files.length) {
    const may = decide(ctx.actor, "addAttachment", order);
    if (!may.ok) return { ok: false, fieldErrors: { photos: [may.reason] }, formError: may.reason };
  }
  const photos = await storeFiles(checked.files);
  try {
    const result = await saveOrComplete(ctx, { orderId, version, intent, confirmOpenTodos, confirmLateEstimate, confirmOverload }, values, photos);
    if (!result.ok) await discardFiles(photos.map((f) => f.storageKey));
    return result;
  } catch (error) {
    await discardFiles(photos.map((f) => f.storageKey));
    throw error;
  }
}

async function saveOrComplete(
  ctx: Ctx,
  { orderId, version, intent, confirmOpenTodos, confirmLateEstimate, confirmOverload }: Pick<SaveStageInput, "orderId" | "version" | "intent" | "confirmOpenTodos" | "confirmLateEstimate" | "confirmOverload">,
  values: Record<string, unknown>,
  photos: StoredFile[],
): Promise<Result<{ message: string }>> {
  if (intent === "save") {
    if (!Object.keys(values).length && !photos.length) return { ok: true as const, message: "No changes to save" };
    const saved = await saveFields(ctx, { orderId, version, values, confirmLateEstimate, confirmOverload }, photos);
    if (!saved.ok) return saved;
    const attached = photos.length ? `${photos.length} photo${photos.length > 1 ? "s" : ""} attached` : "";
    const fieldsSaved = saved.changed.length ? `Saved ${saved.changed.length} field${saved.changed.length > 1 ? "s" : ""}` : "";
    return { ok: true as const, message: [fieldsSaved, attached].filter(Boolean).join("; ") || "No changes to save" };
  }
  const done = await saveAndCompleteStage(ctx, { orderId, version, values, confirmOpenTodos, confirmLateEstimate, confirmOverload }, photos);
  if (!done.ok) return done;
  return { ok: true as const, message: completionMessage(done.order, done.alerted) };
}

/**
 * What completing a stage says: the stage the order is now in or held in, and alerts only when
 * the rules that fired told someone (a rule may be off, or name no one).
 */
export function completionMessage(o: Pick<Order, "state" | "stage" | "fields">, alerted: number): string {
  const receivedBy = o.fields.receiptConfirmation?.confirmedBy;
  const told = alerted ? ` — ${alerted === 1 ? "1 alert" : `${alerted} alerts`} sent` : "";
  if (o.state === "completed") return `Order completed${receivedBy ? ` — received by ${receivedBy}` : ""}`;
  if (o.state === "onHold") return `Order put on hold in ${stageDef(o.stage).name}${told}`;
  return `Stage completed: now in ${stageDef(o.stage).name}${told}`;
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
  const { orderId, version, qualityCheckResults: inspection, failReasons: reasonIds, failReasonNote } = parsed.data;
  let notified = 0;
  // Inspections are records of their own: two at once are two records, no conflict.
  const result = await changeOrder(ctx, { orderId, version, conflicts: conflictsOn([]) }, { action: "recordInspection" }, async (order, tx, now) => {
    const checked = await checkFailReasons(tx, reasonIds, failReasonNote);
    if (!checked.ok) throw new Refusal({ ok: false, fieldErrors: { [checked.field]: [checked.message] }, formError: "Check the highlighted fields" });
    const [recorded] = await tx
      .insert(inspections)
      .values({ orderId: order.id, result: inspection.result, notes: inspection.notes, inspectorId: ctx.actor.id, createdAt: now })
      .returning({ id: inspections.id });
    if (checked.reasons.length) {
      await tx.insert(inspectionFailReasons).values(
        checked.reasons.map((r) => ({ inspectionId: recorded.id, reasonId: r.id, orderId: order.id, createdAt: now, note: r.needsNote ? failReasonNote!.trim() : null })),
      );
    }
    // KPI rollups (lib/kpi/rollups.ts): the quality figures and the fail reasons count it, in this transaction.
    await rollupInspection(tx, recorded.id);
    const before = order.fields.qualityCheckResults;
    return {
      patch: { fields: { ...order.fields, qualityCheckResults: inspection } },
      events: [{ kind: "inspectionRecorded", subject: "qualityCheckResults", before: before ?? null, after: inspection }],
      // The rules on inspections, and on the field they save (it is saved no other way).
      after: async (tx2, updated) => {
        const recordedAs = { id: recorded.id, result: inspection.result, notes: inspection.notes, inspectorId: ctx.actor.id };
        notified = await applyInspectionRules(tx2, updated, recordedAs, { field: "qualityCheckResults", before, after: inspection }, now);
      },
    };
  });
  if (result.ok && notified) ctx.afterCommit?.((db) => sendQueuedEmails(db));
  return result;
}

export async function addAttachments(ctx: Ctx, input: AddAttachmentInput): Promise<Result<{ order: Order }>> {
  const parsed = addAttachmentSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues.map((i) => ({ ...i, path: ["attachments"] })));
  const { orderId, version, attachments: files, uploads } = parsed.data;
  const checked = await checkFiles(files);
  if (!checked.ok) return { ok: false, fieldErrors: { attachments: [checked.error] }, formError: checked.error };
  const sent = await checkUploads(ctx.db, ctx.actor.id, uploads, { orderId });
  if (!sent.ok) return { ok: false, fieldErrors: { attachments: [sent.error] }, formError: sent.error };
  // Posted files are written only for a request that may attach them (the kernel decides again).
  const [target] = await ctx.db.select({ storeId: orders.storeId, stage: orders.stage, state: orders.state }).from(orders).where(eq(orders.id, orderId));
  const posted = target && decide(ctx.actor, "addAttachment", target).ok ? await storeFiles(checked.files) : [];
  const all = [...posted, ...sent.files];
  try {
    const done = await changeOrder(ctx, { orderId, version, conflicts: conflictsOn([]) }, { action: "addAttachment" }, async (order, tx, now) => {
      if (!(await claimUploads(tx, uploads))) refuse({ fieldErrors: { attachments: [UPLOADS_TAKEN] }, formError: UPLOADS_TAKEN });
      if (!all.length) refuse({ fieldErrors: { attachments: ["Choose a file to attach"] }, formError: "Choose a file to attach" });
      await tx.insert(attachments).values(all.map((f) => ({ ...f, stage: order.stage, orderId: order.id, uploadedBy: ctx.actor.id, createdAt: now })));
      return { patch: {}, events: [{ kind: "attachmentAdded", subject: all.map((f) => f.filename).join(", ") }] };
    });
    // A refusal (a conflict, the stage moved on) keeps the uploads for another try; posted files go.
    if (!done.ok) await discardFiles(posted.map((f) => f.storageKey));
    return done;
  } catch (error) {
    await discardFiles(posted.map((f) => f.storageKey));
    throw error;
  }
}

/**
 * Files sent with the stage form (Store Received's photos), attached in the same change as its
 * fields, with the stage they belong to: only where this account may add attachments now.
 */
async function attachInStage(ctx: Ctx, tx: Tx, order: Order, files: StoredFile[], now: Date) {
  if (!files.length) return [];
  const d = decide(ctx.actor, "addAttachment", order);
  if (!d.ok) refuse({ fieldErrors: { photos: [d.reason] }, formError: d.reason });
  await tx.insert(attachments).values(files.map((f) => ({ ...f, stage: order.stage, orderId: order.id, uploadedBy: ctx.actor.id, createdAt: now })));
  return [{ kind: "attachmentAdded" as const, subject: files.map((f) => f.filename).join(", ") }];
}

/** Photos of a stage: the images attached while the order was in it (a stage's gate may ask for one). */
async function stagePhotos(tx: Tx, orderId: number, stage: StageKey) {
  const [row] = await tx
    .select({ n: count() })
    .from(attachments)
    .where(and(eq(attachments.orderId, orderId), eq(attachments.stage, stage), like(attachments.contentType, "image/%")));
  return row?.n ?? 0;
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
export type Queued = { notified: number };

/**
 * Enters a stage: the stage entry, and the "order enters stage" rules for it, in the same
 * transaction. `order` is as the change left it: the kernel has set its clock (kernel.ts withClock).
 */
export async function enterStage(tx: Tx, order: Pick<Order, "id" | "storeId" | "stageDueAt">, to: Order["stage"], now: Date, queued: Queued) {
  const [entry] = await tx.insert(stageEntries).values({ orderId: order.id, stage: to, enteredAt: now, dueAt: order.stageDueAt }).returning({ id: stageEntries.id });
  queued.notified += await applyStageEnteredRules(tx, { id: order.id, storeId: order.storeId, stage: to, state: "active" }, entry.id, now);
}

async function stageMove(ctx: Ctx, order: Order, fields: FieldValues, tx: Tx, now: Date, confirmOpenTodos: boolean, queued: Queued): Promise<Change> {
  const check = completion({ ...order, fields }, await latestInspection(tx, order.id), await stagePhotos(tx, order.id, order.stage));
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
  // What completing this stage records, once (the definition's marks): submitted, received.
  const mark = stageDef(order.stage).marks;
  const marked = mark === "submitted" && !order.submittedAt ? { submittedAt: now } : mark === "received" && !order.receivedAt ? { receivedAt: now } : {};
  if (outcome.kind === "hold") {
    return { patch: { state: "onHold" }, events: [{ kind: "putOnHold", note: outcome.reason }], after: closeEntry };
  }
  if (outcome.kind === "complete") {
    return {
      patch: { state: "completed", ...marked },
      events: [{ kind: "completed", note }],
      after: async (t) => {
        await closeEntry(t);
        // KPI rollups: the delivery figures count the received order.
        await rollupCompletedOrder(t, order.id);
      },
    };
  }
  const to = outcome.to;
  return {
    // The kernel starts the new stage's clock from stageEnteredAt (kernel.ts withClock).
    patch: { stage: to, stageEnteredAt: now, ...marked },
    events: [{ kind: "stageCompleted", stage: order.stage, before: order.stage, after: { stage: to }, note }],
    after: async (t, updated) => {
      await closeEntry(t);
      await enterStage(t, updated, to, now, queued);
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
export async function saveAndCompleteStage(ctx: Ctx, input: SaveAndCompleteInput, photos: StoredFile[] = []): Promise<Result<{ order: Order; changed: FieldKey[]; alerted: number }>> {
  const parsed = saveAndCompleteSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { orderId, version, values, confirmOpenTodos, confirmLateEstimate, confirmOverload } = parsed.data;
  let changed: FieldKey[] = [];
  let notified = 0;
  const queued: Queued = { notified: 0 };
  const result = await changeOrder(ctx, { orderId, version, conflicts: conflictsOn(Object.keys(values)) }, { action: "completeStage" }, async (order, tx, now) => {
    const fields = fieldChange(ctx, order, values, confirmLateEstimate);
    changed = fields.changed;
    const attached = await attachInStage(ctx, tx, order, photos, now);
    const move = await stageMove(ctx, order, fields.next, tx, now, confirmOpenTodos, queued);
    // Asked on the order as the move leaves it: a not-feasible order takes no capacity.
    const events = await capacityCheck(tx, order, fields, { stage: move.patch.stage ?? order.stage, state: move.patch.state ?? order.state }, confirmOverload, now);
    return {
      patch: { fields: fields.next, ...mirroredColumns(fields.next), ...move.patch },
      events: [...[...events, ...attached].map((e) => ({ ...e, stage: order.stage })), ...move.events],
      after: async (tx2, updated) => {
        await move.after?.(tx2, updated);
        // Field rules see the fields as saved in their stage, before the move (a not-feasible
        // order is alerted on although the same command puts it on hold).
        notified = await applyFieldRules(tx2, { ...updated, stage: order.stage, state: order.state }, fields.ruleChanges, now);
      },
    };
  });
  if (result.ok && (notified || queued.notified)) ctx.afterCommit?.((db) => sendQueuedEmails(db));
  return result.ok ? { ...result, changed, alerted: notified + queued.notified } : result;
}

/**
 * A held order, sent back to `to` as transitions.ts `returnTo` says (active, its hold decision
 * reopened, no proposal), entering that stage now. Revise and accept-the-proposal both go here.
 */
export function returnChange(order: Order, fields: FieldValues, to: StageKey, now: Date, queued: Queued, events: Change["events"]): Change {
  const back = returnTo({ ...order, fields }, to);
  return {
    patch: {
      state: back.state,
      stage: back.stage,
      stageEnteredAt: now,
      fields: back.fields,
      ...mirroredColumns(back.fields),
      doneTodos: back.doneTodos,
      proposal: back.proposal,
    },
    events,
    after: async (t, updated) => {
      await enterStage(t, updated, back.stage, now, queued);
    },
  };
}

export async function reviseOrder(ctx: Ctx, input: ReviseOrderInput): Promise<Result<{ order: Order }>> {
  const parsed = reviseOrderSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const queued: Queued = { notified: 0 };
  const result = await changeOrder(ctx, parsed.data, { action: "reviseOrder" }, async (order, _tx, now) => {
    // The store revises in its own stage; the stage that held the order decides anew after it.
    const to = firstStage;
    const back = returnChange(order, order.fields, to, now, queued, [{ kind: "revised", stage: to, before: { stage: order.stage, state: order.state }, after: { stage: to, state: "active" } }]);
    if (!order.proposal) return back;
    // Revising instead of accepting declines dispatch's proposal: dispatch hears of it.
    return withEvent(back, queued, { event: "proposalDeclined", detail: "The store revises the order instead", causedBy: ctx.actor.id }, now);
  });
  if (result.ok && queued.notified) ctx.afterCommit?.((db) => sendQueuedEmails(db));
  return result;
}

export async function cancelOrder(ctx: Ctx, input: CancelOrderInput): Promise<Result<{ order: Order }>> {
  const parsed = cancelOrderSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { orderId, version, reason } = parsed.data;
  const queued: Queued = { notified: 0 };
  const result = await changeOrder(ctx, { orderId, version }, { action: "cancelOrder" }, async (order, _tx, now) => ({
    patch: { state: "cancelled", cancelReason: reason },
    events: [{ kind: "cancelled", before: { state: order.state }, after: { state: "cancelled" }, note: reason }],
    after: async (t, updated) => {
      // Dispatch hears of it (the rules are read before the stage entry closes: who is assigned still shows).
      queued.notified += await applyOrderEventRules(t, updated, { event: "cancelled", detail: reason, causedBy: ctx.actor.id }, now);
      // KPI rollups: a cancelled order's stage entries leave the stage times (before its open one is closed).
      await unrollCancelledOrder(t, order.id);
      await t.update(stageEntries).set({ completedAt: now, completedBy: ctx.actor.id }).where(and(eq(stageEntries.orderId, order.id), isNull(stageEntries.completedAt)));
    },
  }));
  if (result.ok && queued.notified) ctx.afterCommit?.((db) => sendQueuedEmails(db));
  return result;
}

/** A change that also announces a hand-off (order_event rules), once its own work is done. */
export function withEvent(change: Change, queued: Queued, event: Parameters<typeof applyOrderEventRules>[2], now: Date): Change {
  return {
    ...change,
    // The hand-off's own alert first: it says more than "enters stage" to whoever both would tell.
    after: async (t, updated) => {
      queued.notified += await applyOrderEventRules(t, updated, event, now);
      await change.after?.(t, updated);
    },
  };
}
