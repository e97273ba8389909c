import type { RuleTrigger } from "@/db/schema";
import { field as fieldDef, isFieldKey, stage, stageOfField } from "@/lib/workflow";

/** A rule's trigger in words, from the workflow's own labels. */
export function describeTrigger(trigger: RuleTrigger): string {
  if (trigger.type === "stage_overdue") {
    return trigger.stage ? `When an order is overdue in ${stage(trigger.stage).name}` : "When an order's current stage is overdue";
  }
  const key: string = trigger.field;
  if (!isFieldKey(key)) return `When ${key} equals ${trigger.value}`;
  const def = fieldDef(key);
  const options = "options" in def.input ? def.input.options : [];
  const value = options.find((o) => o.value === trigger.value)?.label ?? trigger.value;
  const s = stage(trigger.stage ?? stageOfField(key));
  return `When ${def.label} is set to “${value}” (stage ${s.number}, ${s.name})`;
}

/** Once per what: the occasion a rule's firing is keyed on, for people. */
export function describeOccasion(trigger: RuleTrigger): string {
  return trigger.type === "stage_overdue" ? "Once per stage entry" : "Once per change to the value";
}
