import { type FieldErrors, crossFieldErrors, missingRequiredFields, openTodos } from "./rules";
import type { FieldValues, InspectionResult } from "./fields";
import { type StageKey, field, nextStage, stage } from "./stages";

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

export function completion(order: TransitionFacts, latestInspection: InspectionResult | null): Completion {
  const def = stage(order.stage);
  const errors: FieldErrors = crossFieldErrors(order.fields);
  for (const key of missingRequiredFields(order.stage, order.fields)) errors[key] ??= [`${field(key).label} is required`];
  for (const r of def.gate?.({ fields: order.fields, latestInspection }) ?? []) errors[r.key] = [r.message];
  return { errors, openTodos: openTodos(order.stage, order.doneTodos), outcome: outcomeOf(order) };
}

function outcomeOf(order: TransitionFacts): Outcome {
  const hold = stage(order.stage).holdWhen;
  if (hold?.when(order.fields)) return { kind: "hold", reason: hold.reason(order.fields) };
  const to = nextStage(order.stage);
  return to ? { kind: "advance", to } : { kind: "complete" };
}
