import { type WorkCalendar, addWorkingDays, addWorkingHours, endOfPlannedDay } from "@/lib/time/calendar";
import type { FieldDef, FieldValues } from "./fields";
import { isStoreScoped } from "./roles";
import { type StageKey, fields as allFields, stage } from "./stages";

/**
 * When a stage entry is due and at risk (SPEC.md "Clocks that follow the plan and the calendar"),
 * computed when the order enters the stage or its plan changes, and stored on the order
 * (`stage_due_at`, `stage_risk_at`) and its stage entry: everything else compares the stored
 * instants. One function, so the stage clock, the queue, the board, the KPI page and the
 * automation pass cannot disagree.
 */

/** The calendars an order's clocks run on: the shop's (dispatch, production, QC) and its store's. */
export type OrderCalendars = { shop: WorkCalendar; store: WorkCalendar };

/** The calendar of the stage's owner: a store-scoped owner works on the store's, the others on the shop's. */
export const stageCalendar = (key: StageKey, calendars: OrderCalendars) => (isStoreScoped(stage(key).owner) ? calendars.store : calendars.shop);

/** The field whose value plans the stage (the Production Schedule plans In Production). */
export const planField = (key: StageKey): FieldDef | undefined => allFields.find((f) => f.plans === key);

export type StageClock = { dueAt: Date; riskAt: Date };

/**
 * The stage's clock from its entry time and the order's field values:
 * - planned by a schedule: due at the end of the planned end day, at risk one working day before;
 * - planned by an expected time (Estimated Delivery Time): the target counted from that time;
 * - otherwise the stage's target counted from entry, in working hours or working days.
 */
export function stageClock(key: StageKey, enteredAt: Date, values: FieldValues, calendars: OrderCalendars): StageClock {
  const cal = stageCalendar(key, calendars);
  const target = stage(key).target;
  const plan = planField(key);
  const planned = plan ? values[plan.key] : undefined;
  if (plan && planned !== undefined && planned !== null) {
    if (plan.input.kind === "schedule" && typeof planned === "object" && "end" in planned) {
      const dueAt = endOfPlannedDay(cal, planned.end);
      return { dueAt, riskAt: addWorkingDays(cal, dueAt, -1) };
    }
    if (plan.input.kind === "dateTime" && typeof planned === "string") {
      const from = new Date(planned);
      const add = target.unit === "days" ? addWorkingDays : addWorkingHours;
      return { dueAt: add(cal, from, target.due), riskAt: add(cal, from, target.risk) };
    }
  }
  const add = target.unit === "days" ? addWorkingDays : addWorkingHours;
  return { dueAt: add(cal, enteredAt, target.due), riskAt: add(cal, enteredAt, target.risk) };
}

export type SlaState = "onTrack" | "atRisk" | "overdue";
export const slaLabels: Record<SlaState, string> = { onTrack: "On track", atRisk: "At risk", overdue: "Overdue" };

/** On track, at risk or overdue, from a stored clock. */
export function clockState(clock: { dueAt: Date; riskAt: Date }, now = new Date()): SlaState {
  if (now.getTime() >= clock.dueAt.getTime()) return "overdue";
  if (now.getTime() >= clock.riskAt.getTime()) return "atRisk";
  return "onTrack";
}
