import type { automationRules } from "@/db/schema";
import { stage } from "@/lib/workflow";

/**
 * The two rules of the process card (SPEC.md), as stored rows. Recipients as the card names them:
 * the order's store managers (the role that owns Store Order) and the Production Team (the role
 * that owns In Production).
 */
export const defaultRules: (typeof automationRules.$inferInsert)[] = [
  {
    key: "feasibility-alert",
    name: "Field Value Alert",
    trigger: { type: "field_equals", stage: "dispatchReceiving", field: "orderFeasibility", value: "notFeasible" },
    recipientRole: stage("storeOrder").owner,
    message: "Order cannot be fulfilled - please contact dispatch team",
    priority: "high",
  },
  {
    key: "stage-overdue-escalation",
    name: "Custom Automation",
    trigger: { type: "stage_overdue" },
    recipientRole: stage("inProduction").owner,
    message: "Production deadline approaching - please update status",
    priority: "normal",
  },
];
