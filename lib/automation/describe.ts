import type { RecipientSpec, RuleTrigger } from "@/db/schema";
import { field as fieldDef, isFieldKey, roleLabel, stage, stageOfField } from "@/lib/workflow";

/** A rule's trigger in words, from the workflow's own labels. */
export function describeTrigger(trigger: RuleTrigger): string {
  const s = (key: Parameters<typeof stage>[0]) => `${stage(key).number}. ${stage(key).name}`;
  switch (trigger.type) {
    case "stage_overdue":
      return trigger.stage ? `When an order is overdue in ${s(trigger.stage)}` : "When an order's current stage is overdue";
    case "stage_at_risk":
      return trigger.stage ? `When an order is at risk in ${s(trigger.stage)}` : "When an order's current stage turns at risk";
    case "stage_entered":
      return `When an order enters ${s(trigger.stage)}`;
    case "delivery_at_risk":
      return "When an order's Required Delivery Date is at risk";
    case "field_equals": {
      const key: string = trigger.field;
      if (!isFieldKey(key)) return `When ${key} equals ${trigger.value}`;
      const def = fieldDef(key);
      const options = "options" in def.input ? def.input.options : [];
      const value = options.find((o) => o.value === trigger.value)?.label ?? trigger.value;
      const st = stage(trigger.stage ?? stageOfField(key));
      return `When ${def.label} is set to “${value}” (stage ${st.number}, ${st.name})`;
    }
  }
}

/** Once per what: the occasion a rule's firing is keyed on, for people. */
export function describeOccasion(trigger: RuleTrigger): string {
  switch (trigger.type) {
    case "field_equals":
      return "Once per change to the value";
    case "delivery_at_risk":
      return "Once per Required Delivery Date";
    default:
      return "Once per stage entry";
  }
}

export const recipientKindLabels: Record<Exclude<RecipientSpec["kind"], "role">, string> = {
  storeManagers: "The order's store managers",
  stageOwner: "The owner role of the order's current stage",
  assignee: "The person assigned to the order",
  commenters: "Everyone who commented on the order",
};

export function describeRecipients(specs: readonly RecipientSpec[]): string {
  if (!specs.length) return "Nobody";
  return specs.map((r) => (r.kind === "role" ? roleLabel(r.role) : recipientKindLabels[r.kind])).join("; ");
}
