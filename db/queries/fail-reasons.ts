import "server-only";
import { asc, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { failReasons, inspectionFailReasons } from "../schema";

/** Every fail reason, open ones first in the list's order, each with how many failed inspections named it (/admin/fail-reasons). */
export async function listFailReasons(db: Executor) {
  return db
    .select({
      id: failReasons.id,
      label: failReasons.label,
      needsNote: failReasons.needsNote,
      position: failReasons.position,
      archivedAt: failReasons.archivedAt,
      archived: sql<boolean>`${failReasons.archivedAt} is not null`,
    })
    .from(failReasons)
    .orderBy(sql`${failReasons.archivedAt} is not null`, asc(failReasons.position), asc(failReasons.id));
}
export type FailReasonRow = Awaited<ReturnType<typeof listFailReasons>>[number];

/** The reasons an inspection form offers: open ones, in the list's order. */
export async function openFailReasons(db: Executor) {
  return (await listFailReasons(db)).filter((r) => !r.archived).map(({ id, label, needsNote }) => ({ id, label, needsNote }));
}

/** One reason's label, archived or not (the order list's filter names it). */
export async function failReasonLabel(db: Executor, id: number) {
  const [row] = await db.select({ label: failReasons.label }).from(failReasons).where(eq(failReasons.id, id));
  return row?.label ?? null;
}

/** The reasons each of these inspections named, by inspection id. */
export async function reasonsOfInspections(db: Executor, inspectionIds: number[]) {
  if (!inspectionIds.length) return new Map<number, { label: string; note: string | null }[]>();
  const rows = await db
    .select({ inspectionId: inspectionFailReasons.inspectionId, label: failReasons.label, note: inspectionFailReasons.note })
    .from(inspectionFailReasons)
    .innerJoin(failReasons, eq(failReasons.id, inspectionFailReasons.reasonId))
    .where(inArray(inspectionFailReasons.inspectionId, inspectionIds))
    .orderBy(asc(failReasons.position), asc(failReasons.id));
  const by = new Map<number, { label: string; note: string | null }[]>();
  for (const r of rows) by.set(r.inspectionId, [...(by.get(r.inspectionId) ?? []), { label: r.label, note: r.note }]);
  return by;
}
