import type { automationRules } from "@/db/schema";
import { deliveryProblems, productConditions, stage, stageOfField } from "@/lib/workflow";

/**
 * The rules seeded with the app, as stored rows. First the two of the process card, kept as the
 * card states them: the order's store managers (the role that owns Store Order) and the
 * Production Team (the role that owns In Production). Then the defaults beside them, each
 * editable and disable-able by admins. Keys are stable: seeding again adds only missing ones.
 */
export const defaultRules: (typeof automationRules.$inferInsert)[] = [
  {
    key: "feasibility-alert",
    name: "Field Value Alert",
    trigger: { type: "field_equals", stage: "dispatchReceiving", field: "orderFeasibility", value: "notFeasible" },
    recipients: [{ kind: "role", role: stage("storeOrder").owner }],
    message: "Order cannot be fulfilled - please contact dispatch team",
    priority: "high",
  },
  {
    key: "stage-overdue-escalation",
    name: "Custom Automation",
    trigger: { type: "stage_overdue" },
    recipients: [{ kind: "role", role: stage("inProduction").owner }],
    message: "Production deadline approaching - please update status",
    priority: "normal",
  },
  {
    key: "new-order-to-dispatch",
    name: "New order",
    trigger: { type: "stage_entered", stage: "dispatchReceiving" },
    recipients: [{ kind: "role", role: stage("dispatchReceiving").owner }],
    message: "New order from {store}: {orderQuantity} to deliver by {requiredDeliveryDate}",
    priority: "normal",
  },
  {
    key: "order-shipped-to-store",
    name: "Your order shipped",
    trigger: { type: "stage_entered", stage: "storeReceived" },
    recipients: [{ kind: "storeManagers" }],
    message: "Your order shipped: {shipmentMethod}, tracking {trackingNumber}, estimated delivery {estimatedDeliveryTime}",
    priority: "normal",
  },
  {
    key: "stage-at-risk-to-owner",
    name: "Stage at risk",
    trigger: { type: "stage_at_risk" },
    recipients: [{ kind: "stageOwner" }],
    message: "Stage at risk: it is due soon - please move it on or update it",
    priority: "normal",
  },
  {
    key: "stage-overdue-to-owner",
    name: "Stage overdue",
    trigger: { type: "stage_overdue" },
    recipients: [{ kind: "stageOwner" }],
    message: "Stage overdue: it is past its target time",
    priority: "high",
  },
  // A delivery gone wrong (SPEC: When a delivery goes wrong): dispatch arranges the replacement,
  // quality control learns what left the shop wrong. The note says what is wrong.
  ...deliveryProblems.map((condition) => ({
    key: `receipt-${condition}-to-dispatch-and-qc`,
    name: `Received ${productConditions.labels[condition].toLowerCase()}`,
    trigger: { type: "field_equals" as const, stage: stageOfField("productCondition"), field: "productCondition", value: condition },
    recipients: [
      { kind: "role" as const, role: stage("dispatching").owner },
      { kind: "role" as const, role: "qualityControl" as const },
    ],
    message: `{store} received the order ${productConditions.labels[condition].toLowerCase()}: {conditionNote}`,
    priority: "high" as const,
  })),
];
