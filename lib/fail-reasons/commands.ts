import "server-only";
import { and, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { type FailReason, failReasons } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { can } from "@/lib/auth/policy";
import { type Ctx, type Failure, type Result, zodFailure } from "@/lib/result";
import {
  type ArchiveFailReasonInput,
  type CreateFailReasonInput,
  type UpdateFailReasonInput,
  archiveFailReasonSchema,
  createFailReasonSchema,
  updateFailReasonSchema,
} from "./schemas";

/**
 * The fail reasons quality control names on a failed inspection (decision 029). Administrators
 * add, rename and archive them; a reason is never deleted, so the inspections that named it and
 * the KPI page's Pareto keep it. Each change is in the audit log.
 */

const onlyAdmins: Failure = { ok: false, formError: "Only administrators can manage fail reasons" };
const taken: Failure = { ok: false, fieldErrors: { label: ["A reason with this name already exists"] }, formError: "Check the highlighted fields" };
const sameLabel = (label: string) => sql`lower(${failReasons.label}) = lower(${label})`;

export async function createFailReason(ctx: Ctx, input: CreateFailReasonInput): Promise<Result<{ reason: FailReason }>> {
  if (!can.manageFailReasons(ctx.actor)) return onlyAdmins;
  const parsed = createFailReasonSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { label, needsNote } = parsed.data;
  return ctx.db.transaction(async (tx): Promise<Result<{ reason: FailReason }>> => {
    const [reason] = await tx
      .insert(failReasons)
      .values({ label, needsNote, position: sql`(select coalesce(max(position), 0) + 1 from fail_reasons)` })
      .onConflictDoNothing()
      .returning();
    if (!reason) return taken;
    await recordAudit(tx, { kind: "failReasonCreated", actorId: ctx.actor.id, after: { id: reason.id, label, needsNote } });
    return { ok: true as const, reason };
  });
}

export async function updateFailReason(ctx: Ctx, input: UpdateFailReasonInput): Promise<Result<{ reason: FailReason }>> {
  if (!can.manageFailReasons(ctx.actor)) return onlyAdmins;
  const parsed = updateFailReasonSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { reasonId, label, needsNote } = parsed.data;
  return ctx.db.transaction(async (tx): Promise<Result<{ reason: FailReason }>> => {
    const [before] = await tx.select().from(failReasons).where(eq(failReasons.id, reasonId)).for("update");
    if (!before) return { ok: false, notFound: true, formError: "That fail reason no longer exists" };
    if (before.label === label && before.needsNote === needsNote) return { ok: true as const, reason: before };
    const [clash] = await tx.select({ id: failReasons.id }).from(failReasons).where(and(sameLabel(label), ne(failReasons.id, reasonId)));
    if (clash) return taken;
    const [reason] = await tx.update(failReasons).set({ label, needsNote }).where(eq(failReasons.id, reasonId)).returning();
    await recordAudit(tx, { kind: "failReasonChanged", actorId: ctx.actor.id, before: { id: reasonId, label: before.label, needsNote: before.needsNote }, after: { id: reasonId, label, needsNote } });
    return { ok: true as const, reason };
  });
}

export async function archiveFailReason(ctx: Ctx, input: ArchiveFailReasonInput): Promise<Result<{ reason: FailReason }>> {
  if (!can.manageFailReasons(ctx.actor)) return onlyAdmins;
  const parsed = archiveFailReasonSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { reasonId, archived } = parsed.data;
  return ctx.db.transaction(async (tx): Promise<Result<{ reason: FailReason }>> => {
    const [before] = await tx.select().from(failReasons).where(eq(failReasons.id, reasonId)).for("update");
    if (!before) return { ok: false, notFound: true, formError: "That fail reason no longer exists" };
    if (Boolean(before.archivedAt) === archived) return { ok: true as const, reason: before };
    if (archived) {
      // A failed inspection must name a reason: the last open one stays.
      const open = await tx.select({ id: failReasons.id }).from(failReasons).where(and(isNull(failReasons.archivedAt), ne(failReasons.id, reasonId))).limit(1);
      if (!open.length) return { ok: false, formError: "Keep at least one fail reason open: a failed inspection must name one" };
    }
    const [reason] = await tx
      .update(failReasons)
      .set({ archivedAt: archived ? (ctx.now ?? new Date()) : null })
      .where(eq(failReasons.id, reasonId))
      .returning();
    await recordAudit(tx, { kind: archived ? "failReasonArchived" : "failReasonRestored", actorId: ctx.actor.id, after: { id: reasonId, label: before.label } });
    return { ok: true as const, reason };
  });
}

/**
 * The reasons a failed inspection names, checked against the list in the inspection's
 * transaction: each open (not archived), and a note when one needs it. The refusal is a field
 * message beside the checkboxes or the note.
 */
export async function checkFailReasons(tx: Executor, ids: number[], note: string | undefined): Promise<{ ok: true; reasons: Pick<FailReason, "id" | "needsNote">[] } | { ok: false; field: "failReasons" | "failReasonNote"; message: string }> {
  if (!ids.length) return { ok: true, reasons: [] };
  const rows = await tx
    .select({ id: failReasons.id, needsNote: failReasons.needsNote })
    .from(failReasons)
    .where(and(inArray(failReasons.id, ids), isNull(failReasons.archivedAt)));
  if (rows.length !== ids.length) return { ok: false, field: "failReasons", message: "Choose a fail reason from the list (one was archived: reload the page)" };
  if (rows.some((r) => r.needsNote) && !note?.trim()) return { ok: false, field: "failReasonNote", message: "Say what the other reason was" };
  return { ok: true, reasons: rows };
}
