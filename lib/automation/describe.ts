import type { OrderEvent, RecipientSpec, RuleTrigger } from "@/db/schema";
import { field as fieldDef, isFieldKey, roleLabel, stage, stageOfField } from "@/lib/workflow";
import { triggerStages } from "./evaluator";
import { ruleValueLabel } from "./values";

/** The hand-offs a rule can announce, as admins read them. */
export const orderEventLabels: Record<OrderEvent, string> = {
  readyForReinspection: "Production marks rework ready for re-inspection",
  proposalSent: "Dispatch proposes an alternative",
  proposalAccepted: "The store accepts dispatch's proposal",
  proposalDeclined: "The store declines dispatch's proposal (revises the order)",
  cancelled: "The order is cancelled",
  assigned: "Someone is assigned to the order's stage",
};

/** A rule's trigger in words, from the workflow's own labels. */
export function describeTrigger(trigger: RuleTrigger): string {
  const s = (key: Parameters<typeof stage>[0]) => `${stage(key).number}. ${stage(key).name}`;
  const watched = triggerStages(trigger);
  const inStages = watched ? watched.map(s).join(" or ") : "";
  switch (trigger.type) {
    case "stage_overdue":
      return watched ? `When an order is overdue in ${inStages}` : "When an order's current stage is overdue";
    case "stage_at_risk":
      return watched ? `When an order is at risk in ${inStages}` : "When an order's current stage turns at risk";
    case "inspection_recorded":
      return trigger.result ? `When quality control records an inspection: ${trigger.result === "fail" ? "Fail" : "Pass"}` : "When quality control records an inspection";
    case "order_event":
      return `When: ${orderEventLabels[trigger.event]}`;
    case "stage_entered":
      return `When an order enters ${s(trigger.stage)}`;
    case "delivery_at_risk":
      return "When an order's Required Delivery Date is at risk";
    case "field_equals": {
      const key: string = trigger.field;
      if (!isFieldKey(key)) return `When ${key} equals ${trigger.value}`;
      const def = fieldDef(key);
      const value = ruleValueLabel(key, trigger.value);
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
    case "inspection_recorded":
      return "Once per inspection";
    case "order_event":
      return "Once each time it happens";
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
