import { choices } from "@/lib/forms/fields";
import {
  type FieldDef,
  type FieldKey,
  type FieldValues,
  type InspectionResult,
  deliveryProblems,
  feasibilityOptions,
  inspectionOptions,
  productConditionOptions,
  productionStatusOptions,
  shipmentMethodOptions,
} from "./fields";
import type { RoleKey } from "./roles";
import { type StageKey, stageKeys } from "./stage-keys";

/**
 * The five stages (SPEC.md): owner, workers, target, fields and to-dos, and each stage's own
 * rules of completion (a gate, or a branch to on hold). The pure transition function in
 * transitions.ts reads these; nothing else restates them.
 */

export const orderStatesChoice = choices({ active: "Active", onHold: "On hold", completed: "Completed", cancelled: "Cancelled" });
export const orderStates = orderStatesChoice.values;
export type OrderState = (typeof orderStates)[number];
export const orderStateLabels: Record<OrderState, string> = orderStatesChoice.labels;

export { stageKeys, type StageKey };

const HOUR = 60 * 60 * 1000;

export type StageTarget = {
  /**
   * What the target counts (lib/workflow/clock.ts): working hours or working days of the stage
   * owner's calendar, `due` of them to overdue and `risk` to at risk. The milliseconds below are
   * the same target around the clock (KPI targets, the delivery projection).
   */
  unit: "hours" | "days";
  due: number;
  risk: number;
  /** The stage is overdue this long after it was entered. */
  dueAfterMs: number;
  /** The stage is at risk this long after it was entered. */
  riskAfterMs: number;
  label: string;
};

/**
 * What a stage's completion rules may look at: the stored values, the latest inspection, and the
 * photos (image attachments) added while the order was in this stage.
 */
export type CompletionFacts = { fields: FieldValues; latestInspection: InspectionResult | null; photos: number };

/** One thing completing a stage still needs, keyed by the field (or `field.part`) it concerns. */
export type Requirement = { key: string; message: string };

export type StageDef = {
  number: number;
  key: StageKey;
  name: string;
  owner: RoleKey;
  workers: RoleKey[];
  target: StageTarget;
  fields: FieldDef[];
  todos: { key: string; label: string }[];
  /**
   * Completing the stage puts the order on hold instead of moving it on when `when` holds; the
   * fields in `skips` are then not required (a held order is not scheduled). `decidedBy` are the
   * fields `when` reads: a return (transitions.ts `returnTo`) clears them and `skips`, so the
   * stage decides anew. `label` names the hold ("On hold: not feasible"); `reason` is what the
   * order page and the history say it is held for.
   */
  holdWhen?: { label: string; when: (fields: FieldValues) => boolean; decidedBy: FieldKey[]; skips: FieldKey[]; reason: (fields: FieldValues) => string };
  /**
   * What completing the stage records on the order, once: "submitted" (the store has sent the
   * order: `submittedAt`, where delivery time is counted from) and "received" (the order is
   * delivered: `receivedAt`). Marks, not positions: a stage added before or after keeps them.
   */
  marks?: "submitted" | "received";
  /** What the stage itself requires beyond its required fields. */
  gate?: (facts: CompletionFacts) => Requirement[];
  /**
   * The stage takes attachments: `label` names them on the page ("Reference designs", "Photos"),
   * `images` when only pictures are asked for.
   */
  attachments?: { label: string; images?: boolean };
  /**
   * What the order waits for while in this stage, as queue rows, board cards and the order
   * header say it (next-step.ts): `label`; `again` when the stage is worked a second time (a
   * revised order in Store Order); `eta`, the field whose time the order is expected by.
   */
  waiting: { label: string; again?: string; eta?: FieldKey };
};

const target = (dueHours: number, label: string, riskHours = dueHours * 0.75): StageTarget => ({
  unit: "hours",
  due: dueHours,
  risk: riskHours,
  dueAfterMs: dueHours * HOUR,
  riskAfterMs: riskHours * HOUR,
  label,
});
/** A target in working days (a day around the clock is 24 hours). */
const dayTarget = (dueDays: number, label: string, riskDays = dueDays * 0.75): StageTarget => ({
  ...target(dueDays * 24, label, riskDays * 24),
  unit: "days",
  due: dueDays,
  risk: riskDays,
});

export const stages: StageDef[] = [
  {
    number: 1,
    key: "storeOrder",
    name: "Store Order",
    owner: "storeManager",
    workers: ["dispatchTeam"],
    target: target(4, "4 hours"),
    marks: "submitted",
    attachments: { label: "Reference designs" },
    waiting: { label: "Draft — not sent", again: "Revised — not resent" },
    fields: [
      { key: "productSpecifications", label: "Product Specifications", required: true, input: { kind: "longText" }, brief: true },
      { key: "orderQuantity", label: "Order Quantity", required: true, input: { kind: "integer", min: 1, max: 100000 }, brief: true },
      { key: "requiredDeliveryDate", label: "Required Delivery Date", required: true, input: { kind: "date" }, brief: true },
    ],
    todos: [
      { key: "submitSpecifications", label: "Submit custom product specifications" },
      { key: "defineRequirements", label: "Define quantity and delivery requirements" },
      { key: "attachReferences", label: "Attach reference materials or designs" },
    ],
  },
  {
    number: 2,
    key: "dispatchReceiving",
    name: "Receiving by Dispatch",
    owner: "dispatchTeam",
    workers: ["productionTeam"],
    target: target(2, "2 hours"),
    waiting: { label: "Waiting for feasibility" },
    fields: [
      {
        key: "orderFeasibility",
        label: "Order Feasibility",
        required: true,
        input: { kind: "feasibility", options: feasibilityOptions },
        help: "Not feasible puts the order on hold for the store to revise or cancel.",
      },
      {
        key: "productionSchedule",
        label: "Production Schedule",
        required: true,
        input: { kind: "schedule" },
        help: "Planned start and end. An end after the required delivery date must be confirmed. In Production is due at the end of the planned end day.",
        brief: true,
        plans: "inProduction",
      },
      { key: "specialRequirements", label: "Special Requirements", required: false, input: { kind: "longText" }, brief: true },
    ],
    todos: [
      { key: "reviewSpecifications", label: "Review order specifications" },
      { key: "verifyCapacity", label: "Verify production capacity" },
      { key: "scheduleSlot", label: "Schedule production slot" },
    ],
    // Not feasible does not go to production: the order waits on hold for the store to revise or cancel it.
    holdWhen: {
      label: "not feasible",
      when: (f) => f.orderFeasibility?.decision === "notFeasible",
      decidedBy: ["orderFeasibility"],
      skips: ["productionSchedule"],
      reason: (f) => f.orderFeasibility?.reason ?? "",
    },
  },
  {
    number: 3,
    key: "inProduction",
    name: "In Production",
    owner: "productionTeam",
    workers: ["qualityControl"],
    target: dayTarget(5, "3–5 days", 3),
    waiting: { label: "In production" },
    fields: [
      {
        key: "productionStatus",
        label: "Production Status",
        required: true,
        input: { kind: "select", options: productionStatusOptions },
        editors: ["productionTeam"],
      },
      {
        key: "completionPercentage",
        label: "Completion Percentage",
        required: true,
        input: { kind: "integer", min: 0, max: 100, suffix: "%" },
        editors: ["productionTeam"],
      },
      {
        key: "qualityCheckResults",
        label: "Quality Check Results",
        required: true,
        input: { kind: "inspection", options: inspectionOptions },
        editors: ["qualityControl"],
        help: "Recorded by quality control; every inspection is kept.",
        recordedAs: "inspection",
      },
    ],
    todos: [
      { key: "manufacture", label: "Manufacture products according to specifications" },
      { key: "inProcessChecks", label: "Perform in-process quality checks" },
      { key: "updateProgress", label: "Update production progress" },
    ],
    // A failed inspection keeps the order here for rework; only a passing latest inspection lets it go.
    gate: ({ fields, latestInspection }) => [
      ...(fields.productionStatus !== "completed" ? [{ key: "productionStatus", message: "Production Status must be Completed" }] : []),
      ...(fields.completionPercentage !== 100 ? [{ key: "completionPercentage", message: "Completion Percentage must be 100" }] : []),
      ...(latestInspection !== "pass"
        ? [
            {
              key: "qualityCheckResults",
              message: latestInspection ? "The latest inspection failed: rework and inspect again" : "Quality control has not inspected the order yet",
            },
          ]
        : []),
    ],
  },
  {
    number: 4,
    key: "dispatching",
    name: "Dispatching",
    owner: "dispatchTeam",
    workers: ["dispatchTeam"],
    target: dayTarget(1, "1 day"),
    waiting: { label: "Ready to ship" },
    fields: [
      {
        key: "shipmentMethod",
        label: "Shipment Method",
        required: true,
        input: { kind: "select", options: shipmentMethodOptions },
      },
      { key: "trackingNumber", label: "Tracking Number", required: true, input: { kind: "text" } },
      {
        key: "estimatedDeliveryTime",
        label: "Estimated Delivery Time",
        required: true,
        input: { kind: "dateTime" },
        help: "Not in the past. A time after the required delivery date must be confirmed. The store's receipt is due 2 working hours after it.",
        plans: "storeReceived",
      },
    ],
    todos: [
      { key: "packageProducts", label: "Package finished products" },
      { key: "arrangeTransport", label: "Arrange transportation" },
      { key: "sendNotification", label: "Send shipment notification" },
    ],
  },
  {
    number: 5,
    key: "storeReceived",
    name: "Store Received",
    owner: "storeManager",
    workers: ["storeManager", "dispatchTeam"],
    target: target(2, "2 hours"),
    marks: "received",
    attachments: { label: "Photos", images: true },
    waiting: { label: "In transit", eta: "estimatedDeliveryTime" },
    fields: [
      { key: "receiptConfirmation", label: "Receipt Confirmation", required: true, input: { kind: "receipt" } },
      {
        key: "productCondition",
        label: "Product Condition",
        required: true,
        input: { kind: "select", options: productConditionOptions },
        help: "Damaged or Wrong specification needs a note and at least one photo, and tells dispatch and quality control.",
      },
      {
        key: "conditionNote",
        label: "Condition Note",
        required: false,
        input: { kind: "longText" },
        help: "What is wrong with the goods: needed when they arrive damaged or not as specified.",
      },
      { key: "customerFeedback", label: "Customer Feedback", required: false, input: { kind: "feedback" } },
    ],
    todos: [
      { key: "verifyReceipt", label: "Verify product receipt" },
      { key: "checkQuality", label: "Check product quality and specifications" },
      { key: "confirmCompletion", label: "Confirm order completion" },
    ],
    // A delivery that went wrong is put on record with what is wrong and how it looked (SPEC: When a delivery goes wrong).
    gate: ({ fields, photos }) =>
      fields.productCondition && deliveryProblems.includes(fields.productCondition) && photos === 0
        ? [{ key: "photos", message: "Attach at least one photo of the goods as they arrived" }]
        : [],
  },
];

/** Where every order starts: the first stage of the definition. */
export const firstStage: StageKey = stages[0].key;

const stageByKey = new Map(stages.map((s) => [s.key, s]));
export function stage(key: StageKey): StageDef {
  return stageByKey.get(key)!;
}

export const fields: FieldDef[] = stages.flatMap((s) => s.fields);
const fieldStage = new Map<FieldKey, StageKey>(stages.flatMap((s) => s.fields.map((f) => [f.key, s.key] as const)));
export function field(key: FieldKey): FieldDef {
  return fields.find((f) => f.key === key)!;
}
export function stageOfField(key: FieldKey): StageKey {
  return fieldStage.get(key)!;
}
export function isFieldKey(key: string): key is FieldKey {
  return fieldStage.has(key as FieldKey);
}

/** The stage whose completion records `mark` on the order. */
export function stageMarked(mark: NonNullable<StageDef["marks"]>): StageKey {
  return stages.find((s) => s.marks === mark)!.key;
}

export function nextStage(key: StageKey): StageKey | null {
  const i = stageKeys.indexOf(key);
  return i < stageKeys.length - 1 ? stageKeys[i + 1] : null;
}

/** Owner and workers: who works the stage. */
export function stageParticipants(key: StageKey): RoleKey[] {
  const s = stage(key);
  return [...new Set([s.owner, ...s.workers])];
}

/** Fully qualified to-do key, e.g. "storeOrder.submitSpecifications". */
export const todoKey = (s: StageKey, todo: string) => `${s}.${todo}`;
export const allTodoKeys = stages.flatMap((s) => s.todos.map((t) => todoKey(s.key, t.key)));

/**
 * The stages whose orders take the shop's production capacity (decision 027): a Production
 * Schedule is proposed in Receiving by Dispatch and made in In Production.
 */
export const capacityStages: readonly StageKey[] = ["dispatchReceiving", "inProduction"];
