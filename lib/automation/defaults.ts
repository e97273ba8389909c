import type { automationRules } from "@/db/schema";
import { deliveryProblems, productConditions, stage, stageKeys, stageOfField, stageParticipants } from "@/lib/workflow";

/**
 * The card's "Production deadline approaching" is the production deadline: the stages Production
 * works in (Receiving by Dispatch, In Production). Every other overdue stage reaches its owner
 * through "Stage overdue" (SPEC.md, "Automation rules").
 */
/** How a receipt gone wrong reads in a sentence ("received the order damaged"). */
const asReceived = (condition: (typeof deliveryProblems)[number]) =>
  ({ damaged: "damaged", wrongSpecification: "with the wrong specification" } as Record<string, string>)[condition] ?? productConditions.labels[condition].toLowerCase();

export const productionStages = stageKeys.filter((k) => stageParticipants(k).includes(stage("inProduction").owner));

/**
 * The rules seeded with the app, as stored rows. First the two of the process card, kept as the
 * card states them: the order's store managers (the role that owns Store Order) and the
 * Production Team (the role that owns In Production). Then the defaults beside them, each
 * editable and disable-able by admins, and the hand-offs: each role is told what its work now
 * depends on, with the reason (the alert carries the notes, the proposal, the cancel reason).
 * Keys are stable: seeding again adds only missing ones; migration 0023 adds the hand-offs to a
 * database seeded before them.
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
    trigger: { type: "stage_overdue", stages: productionStages },
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
  {
    key: "inspection-failed-to-production",
    name: "Inspection failed",
    trigger: { type: "inspection_recorded", result: "fail" },
    recipients: [{ kind: "stageOwner" }, { kind: "assignee" }],
    message: "Inspection failed - rework needed",
    priority: "high",
  },
  {
    key: "ready-for-reinspection-to-qc",
    name: "Ready for re-inspection",
    trigger: { type: "order_event", event: "readyForReinspection" },
    recipients: [{ kind: "role", role: "qualityControl" }],
    message: "Rework done - ready for re-inspection",
    priority: "normal",
  },
  {
    key: "proposal-to-store",
    name: "Dispatch proposes an alternative",
    trigger: { type: "order_event", event: "proposalSent" },
    recipients: [{ kind: "storeManagers" }],
    message: "Dispatch proposes an alternative - accept it, revise or cancel the order",
    priority: "high",
  },
  {
    key: "proposal-accepted-to-dispatch",
    name: "Proposal accepted",
    trigger: { type: "order_event", event: "proposalAccepted" },
    recipients: [{ kind: "role", role: stage("dispatchReceiving").owner }],
    message: "The store accepted your proposal - the order is back for feasibility",
    priority: "normal",
  },
  {
    key: "proposal-declined-to-dispatch",
    name: "Proposal declined",
    trigger: { type: "order_event", event: "proposalDeclined" },
    recipients: [{ kind: "role", role: stage("dispatchReceiving").owner }],
    message: "The store declined your proposal",
    priority: "normal",
  },
  {
    key: "cancelled-to-dispatch",
    name: "Order cancelled",
    trigger: { type: "order_event", event: "cancelled" },
    recipients: [{ kind: "role", role: stage("dispatchReceiving").owner }],
    message: "Order cancelled",
    priority: "normal",
  },
  {
    key: "assigned-to-assignee",
    name: "Assigned to you",
    trigger: { type: "order_event", event: "assigned" },
    recipients: [{ kind: "assignee" }],
    message: "You were assigned this order",
    priority: "normal",
  },
  // A delivery gone wrong (SPEC: When a delivery goes wrong): dispatch arranges the replacement,
  // quality control learns what left the shop wrong. The note says what is wrong.
  ...deliveryProblems.map((condition) => ({
    key: `receipt-${condition}-to-dispatch-and-qc`,
    name: `Received ${asReceived(condition)}`,
    trigger: { type: "field_equals" as const, stage: stageOfField("productCondition"), field: "productCondition", value: condition },
    recipients: [
      { kind: "role" as const, role: stage("dispatching").owner },
      { kind: "role" as const, role: "qualityControl" as const },
    ],
    message: `{store} received the order ${asReceived(condition)}: {conditionNote}`,
    priority: "high" as const,
  })),
];
