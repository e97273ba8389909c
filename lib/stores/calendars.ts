import "server-only";
import { eq, isNull } from "drizzle-orm";
import { stores, workCalendars } from "@/db/schema";
import type { WorkCalendarRow } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { can } from "@/lib/auth/policy";
import { rebuildCapacityLoad } from "@/lib/planning/load";
import { type Ctx, type Result, zodFailure } from "@/lib/result";
import { type SaveCalendarInput, saveCalendarSchema, weekdays } from "./schemas";

/**
 * Working calendars (SPEC.md "Clocks that follow the plan and the calendar"): administrators set
 * the shop's and each store's working hours and holidays. A calendar with no working hours is
 * removed: the shop or store then works around the clock. Stage clocks started or moved after
 * the change follow it; running ones keep the due time they were given (the order page shows it).
 */
export async function saveCalendar(ctx: Ctx, input: SaveCalendarInput): Promise<Result<{ name: string; calendar: WorkCalendarRow | null }>> {
  if (!can.manageStores(ctx.actor)) return { ok: false, formError: "Only administrators can set working calendars" };
  const parsed = saveCalendarSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { storeId, holidays } = parsed.data;
  const week = weekdays.map((d) => parsed.data[d.key]);
  const open = week.some((d) => d !== null);
  if (!open && holidays.length) return { ok: false, fieldErrors: { holidays: ["Holidays need working hours: enter the hours of at least one weekday"] }, formError: "Check the highlighted fields" };
  return ctx.db.transaction(async (tx): Promise<Result<{ name: string; calendar: WorkCalendarRow | null }>> => {
    let name = "The shop";
    if (storeId !== undefined) {
      const [store] = await tx.select({ name: stores.name }).from(stores).where(eq(stores.id, storeId)).for("share");
      if (!store) return { ok: false, notFound: true, formError: "That store no longer exists" };
      name = store.name;
    }
    const which = storeId === undefined ? isNull(workCalendars.storeId) : eq(workCalendars.storeId, storeId);
    const [before] = await tx.select().from(workCalendars).where(which).for("update");
    const was = before ? { week: before.week, holidays: before.holidays } : null;
    let calendar: WorkCalendarRow | null = null;
    if (!open) {
      if (before) await tx.delete(workCalendars).where(eq(workCalendars.id, before.id));
    } else {
      const values = { storeId: storeId ?? null, week, holidays, updatedAt: ctx.now ?? new Date() };
      [calendar] = before
        ? await tx.update(workCalendars).set(values).where(eq(workCalendars.id, before.id)).returning()
        : await tx.insert(workCalendars).values(values).returning();
    }
    const now = calendar ? { week: calendar.week, holidays: calendar.holidays } : null;
    if (JSON.stringify(was) !== JSON.stringify(now)) {
      await recordAudit(tx, { kind: "calendarChanged", actorId: ctx.actor.id, storeId: storeId ?? null, before: was, after: now });
      // Loads spread over the shop's working days: a new calendar spreads them anew (decision 027).
      if (storeId === undefined) await rebuildCapacityLoad(tx);
    }
    return { ok: true as const, name, calendar };
  });
}
