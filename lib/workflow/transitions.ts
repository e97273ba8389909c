import { type FieldErrors, crossFieldErrors, missingRequiredFields, openTodos } from "./rules";
import type { FieldKey, FieldValues, InspectionResult } from "./fields";
import { type OrderState, type StageKey, field, nextStage, stage, stageKeys, todoKey } from "./stages";

/**
 * The one transition function: given an order and its latest inspection, what completing its
 * stage needs and what it leads to. The command refuses on it, and the order page shows it
 * before anyone presses the button.
 */

export type Outcome = { kind: "advance"; to: StageKey } | { kind: "hold"; reason: string } | { kind: "complete" };

export type Completion = {
  /** Why the stage cannot complete yet, by field (or `field.part`); empty when it can. */
  errors: FieldErrors;
  /** Open to-dos: they do not block, but completing with them must be confirmed. */
  openTodos: { key: string; label: string }[];
  /** Where the order goes when the stage completes. */
  outcome: Outcome;
};

export type TransitionFacts = { stage: StageKey; fields: FieldValues; doneTodos: readonly string[] };

/** `photos`: image attachments added in the order's current stage (a stage's gate may ask for them). */
export function completion(order: TransitionFacts, latestInspection: InspectionResult | null, photos = 0): Completion {
  const def = stage(order.stage);
  const errors: FieldErrors = crossFieldErrors(order.fields);
  for (const key of missingRequiredFields(order.stage, order.fields)) errors[key] ??= [`${field(key).label} is required`];
  for (const r of def.gate?.({ fields: order.fields, latestInspection, photos }) ?? []) errors[r.key] = [r.message];
  return { errors, openTodos: openTodos(order.stage, order.doneTodos), outcome: outcomeOf(order) };
}

function outcomeOf(order: TransitionFacts): Outcome {
  const hold = stage(order.stage).holdWhen;
  if (hold?.when(order.fields)) return { kind: "hold", reason: hold.reason(order.fields) };
  const to = nextStage(order.stage);
  return to ? { kind: "advance", to } : { kind: "complete" };
}

/** Why a held order is held, as the stage that held it words it (its `holdWhen.reason`); "" when it gives none. */
export function holdReason(order: Pick<TransitionFacts, "stage" | "fields">): string {
  return stage(order.stage).holdWhen?.reason(order.fields) ?? "";
}

/** A held order, as `returnTo` reads it. */
export type HeldOrder = { stage: StageKey; state: OrderState; fields: FieldValues; doneTodos: readonly string[] };

/** What sending a held order back changes: the command adds the times and writes the history. */
export type Return = { stage: StageKey; state: "active"; fields: FieldValues; doneTodos: string[]; proposal: null; cleared: FieldKey[] };

/**
 * Sends a held order back to `to` (its own stage or one before it), active again: the one rule
 * behind "revise" (back to Store Order) and "accept the proposal" (back to the held stage).
 *
 * A return reopens the decision that held the order, and only that: the held stage's
 * `holdWhen.decidedBy` fields (Order Feasibility) and the fields that decision let it skip
 * (`skips`: the Production Schedule, planned against the order as it was), and the to-dos of
 * every stage from the one after `to` through the held stage, or of the held stage when `to` is
 * it. Everything else stands: the store's own values, Special Requirements, earlier stages'
 * to-dos. A proposal is answered by the return, so none is left.
 */
export function returnTo(order: HeldOrder, to: StageKey): Return {
  if (order.state !== "onHold") throw new Error(`Only a held order is sent back (this one is ${order.state})`);
  const held = stageKeys.indexOf(order.stage);
  const target = stageKeys.indexOf(to);
  if (target > held) throw new Error(`An order held in ${order.stage} is sent back, not on, to ${to}`);
  const hold = stage(order.stage).holdWhen;
  const cleared = [...(hold?.decidedBy ?? []), ...(hold?.skips ?? [])];
  const fields: FieldValues = { ...order.fields };
  for (const key of cleared) delete fields[key];
  const reopened = stageKeys.slice(Math.min(target + 1, held), held + 1);
  const reopenedTodos = new Set(reopened.flatMap((s) => stage(s).todos.map((t) => todoKey(s, t.key))));
  return {
    stage: to,
    state: "active",
    fields,
    doneTodos: order.doneTodos.filter((t) => !reopenedTodos.has(t)),
    proposal: null,
    cleared: cleared.filter((k) => order.fields[k] !== undefined),
  };
}
