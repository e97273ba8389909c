import { formatDate } from "@/lib/format";
import { MAX_INT4, idSchemaWith } from "@/lib/forms/input";
import { type FieldKey, type FieldValues, deliveryProblems, fieldSchemas, productConditions, storedFieldSchemas } from "./fields";
import { type SlaState, clockState } from "./clock";
import { type StageKey, stage, stageKeys, stages, todoKey } from "./stages";

/** Messages by field (`field` or `field.part`); "form" for the form as a whole. */
export type FieldErrors = Record<string, string[]>;

/** The pure rules of validation and time: what a value must be, what is missing, when it is due. */

// --- Validation ----------------------------------------------------------------------------

/** Parses one field's raw value with its schema; errors are keyed `field` or `field.part`. */
export function parseField<K extends FieldKey>(key: K, raw: unknown) {
  const result = fieldSchemas[key].safeParse(raw);
  if (result.success) return { ok: true as const, value: result.data as FieldValues[K] };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const path = [key, ...issue.path.map(String)].join(".");
    (errors[path] ??= []).push(issue.message);
  }
  return { ok: false as const, errors };
}

/** Is this a receipt whose delivery went wrong (damaged, or not as specified)? */
export const isDeliveryProblem = (values: FieldValues) => values.productCondition !== undefined && deliveryProblems.includes(values.productCondition);

/**
 * Checks that need more than one field: the schedule against the delivery date, and a note for a
 * delivery that went wrong.
 */
export function crossFieldErrors(values: FieldValues): FieldErrors {
  const errors: FieldErrors = {};
  if (isDeliveryProblem(values) && !values.conditionNote?.trim()) {
    errors.conditionNote = [`Say what is wrong: a receipt marked ${productConditions.labels[values.productCondition!]} needs a note`];
  }
  const schedule = values.productionSchedule;
  const due = values.requiredDeliveryDate;
  if (schedule && due && schedule.end > due && !schedule.confirmed) {
    errors["productionSchedule.end"] = [
      `The end is after the Required Delivery Date (${formatDate(due)}): tick the confirmation to keep it`,
    ];
  }
  return errors;
}

/**
 * Checks made only when a value is entered or changed (a stored value that has since passed stays
 * as it is): the Estimated Delivery Time may not be in the past, and one after the Required
 * Delivery Date (its end, UTC, as deliveryAtRisk reads it) needs `confirmedLate`.
 */
export function entryErrors(key: FieldKey, values: FieldValues, opts: { confirmedLate: boolean; now?: Date }): FieldErrors {
  if (key !== "estimatedDeliveryTime" || !values.estimatedDeliveryTime) return {};
  const at = Date.parse(values.estimatedDeliveryTime);
  const now = opts.now ?? new Date();
  // The form is precise to the minute: the current minute is not the past.
  if (at < now.getTime() - (now.getTime() % 60_000)) return { estimatedDeliveryTime: ["The estimated delivery time cannot be in the past"] };
  const due = values.requiredDeliveryDate;
  if (due && at > Date.parse(`${due}T23:59:59.999Z`) && !opts.confirmedLate) {
    return { estimatedDeliveryTime: [`The estimate is after the Required Delivery Date (${formatDate(due)}): tick the confirmation to keep it`] };
  }
  return {};
}

/**
 * The fields a stage needs before it completes. A stage that branches to on hold needs only
 * what decides the hold (a not-feasible order needs no Production Schedule).
 */
export function requiredFields(stageKey: StageKey, values: FieldValues): FieldKey[] {
  const def = stage(stageKey);
  const required = def.fields.filter((f) => f.required).map((f) => f.key);
  const skips = def.holdWhen?.when(values) ? def.holdWhen.skips : [];
  return required.filter((k) => !skips.includes(k));
}

/** Required fields of a stage that have no valid value yet (a stored value counts by its shape: storedFieldSchemas). */
export function missingRequiredFields(stageKey: StageKey, values: FieldValues): FieldKey[] {
  return requiredFields(stageKey, values).filter((k) => values[k] === undefined || !storedFieldSchemas[k].safeParse(values[k]).success);
}

/**
 * A submitted value that is the stored one again, read by the stored shape: it is no change,
 * and no rule of entry (such as "not in the past") applies to it.
 */
export function isUnchanged(key: FieldKey, raw: unknown, stored: unknown): boolean {
  if (stored === undefined || stored === null) return false;
  const parsed = storedFieldSchemas[key].safeParse(raw);
  return parsed.success && sameValue(parsed.data, stored);
}

/** Equal as stored values: objects compared by their entries, whatever their order. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!a || !b || typeof a !== "object" || typeof b !== "object" || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export function openTodos(stageKey: StageKey, done: readonly string[]) {
  return stage(stageKey).todos.filter((t) => !done.includes(todoKey(stageKey, t.key)));
}

// --- Time ----------------------------------------------------------------------------------

/** The fixed target around the clock: what an entry written before calendars (no stored risk time) keeps. */
export function dueAt(stageKey: StageKey, enteredAt: Date) {
  return new Date(enteredAt.getTime() + stage(stageKey).target.dueAfterMs);
}

export function riskAt(stageKey: StageKey, enteredAt: Date) {
  return new Date(enteredAt.getTime() + stage(stageKey).target.riskAfterMs);
}

export function slaState(stageKey: StageKey, enteredAt: Date, now = new Date()): SlaState {
  return clockState({ dueAt: dueAt(stageKey, enteredAt), riskAt: riskAt(stageKey, enteredAt) }, now);
}

/** An order's stored clock: its due time, and its risk time (one computed from the fixed target where none is stored). */
export function storedClock(o: { stage: StageKey; stageEnteredAt: Date; stageDueAt: Date; stageRiskAt?: Date | null }) {
  return { dueAt: o.stageDueAt, riskAt: o.stageRiskAt ?? riskAt(o.stage, o.stageEnteredAt) };
}

/**
 * Will the order still make its Required Delivery Date (end of that day, UTC) if the current
 * stage ends at its due time (or now, if later) and every later stage takes its target?
 */
export function projectedDelivery(stageKey: StageKey, stageDueAt: Date, now = new Date()) {
  const later = stages.slice(stageKeys.indexOf(stageKey) + 1);
  const rest = later.reduce((sum, s) => sum + s.target.dueAfterMs, 0);
  return new Date(Math.max(now.getTime(), stageDueAt.getTime()) + rest);
}

export function deliveryAtRisk(stageKey: StageKey, stageDueAt: Date, requiredDeliveryDate: string | null, now = new Date()) {
  if (!requiredDeliveryDate) return false;
  const deadline = Date.parse(`${requiredDeliveryDate}T23:59:59.999Z`);
  return projectedDelivery(stageKey, stageDueAt, now).getTime() > deadline;
}

// --- Order numbers -------------------------------------------------------------------------

export const formatOrderNumber = (id: number) => `MO-${String(id).padStart(5, "0")}`;

/** Accepts "MO-00042", "mo-42" or "42"; null when the text is no order number. */
export function parseOrderNumber(text: string): number | null {
  const m = /^\s*(?:mo-?)?0*(\d{1,10})\s*$/i.exec(text);
  const id = m ? Number(m[1]) : 0;
  return id >= 1 && id <= MAX_INT4 ? id : null;
}

/** A row id in its one spelling ("42", not "042", "0x2a" or "42.0"): ids are int4 identities. */
export const idSchema = idSchemaWith("Not found");
