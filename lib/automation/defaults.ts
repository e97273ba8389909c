import type { automationRules } from "@/db/schema";

/** The two rules of the process card (SPEC.md), as stored rows. */
export const defaultRules: (typeof automationRules.$inferInsert)[] = [
  {
    key: "feasibility-alert",
    name: "Field Value Alert",
    trigger: { type: "field_equals", stage: "dispatchReceiving", field: "orderFeasibility", value: "notFeasible" },
    recipientRole: "storeManager",
    message: "Order cannot be fulfilled - please contact dispatch team",
    priority: "high",
  },
  {
    key: "stage-overdue-escalation",
    name: "Custom Automation",
    trigger: { type: "stage_overdue" },
    recipientRole: "productionTeam",
    message: "Production deadline approaching - please update status",
    priority: "normal",
  },
];
