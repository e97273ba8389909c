import type { Option } from "@/lib/forms/fields";
import { field as fieldDef, isFieldKey } from "@/lib/workflow";

/**
 * A "field equals" rule compares what people see with what is stored: on a choice field the
 * value is one of the field's options (people see the label, the rule stores the key), so
 * `Courier`, `courier` and ` COURIER ` all mean `courier`; on a free-text field the text
 * compares trimmed and case-insensitive. One home for this, read by the rule schema (normalise
 * on save), the evaluator (match) and the rule card (show the label).
 */

/** The options a rule's value is chosen from: the field's own, or none for free text. */
export function ruleValueOptions(field: string): readonly Option[] {
  if (!isFieldKey(field)) return [];
  const input = fieldDef(field).input;
  return "options" in input ? input.options : [];
}

const fold = (s: string) => s.trim().toLowerCase();

/**
 * The value as a rule stores it: the option's key on a choice field (matched by key or label,
 * any case, trimmed), the trimmed text otherwise. Null when a choice field has no such option.
 */
export function normaliseRuleValue(field: string, raw: string): string | null {
  const options = ruleValueOptions(field);
  if (!options.length) return raw.trim();
  const wanted = fold(raw);
  return options.find((o) => fold(o.value) === wanted || fold(o.label) === wanted)?.value ?? null;
}

/** Does a stored field value (as comparableValue reads it) match the rule's value? */
export function matchesRuleValue(field: string, comparable: string | null, ruleValue: string): boolean {
  if (comparable === null) return false;
  // A rule stored before values were normalised may hold a label or another case: read it as saved now.
  const wanted = normaliseRuleValue(field, ruleValue) ?? ruleValue;
  return ruleValueOptions(field).length ? comparable === wanted : fold(comparable) === fold(wanted);
}

/** What the rule card shows for the value: the option's label on a choice field. */
export function ruleValueLabel(field: string, value: string): string {
  const key = normaliseRuleValue(field, value);
  return ruleValueOptions(field).find((o) => o.value === key)?.label ?? value;
}

