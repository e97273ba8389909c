import { z } from "zod";
import { checkboxSchema } from "@/lib/forms/fields";

/**
 * The Makeline workflow, defined once (SPEC.md). Every other module reads these facts from here:
 * roles, stages with owner / workers / targets, the fifteen output fields with one zod schema
 * each, and the fifteen to-dos.
 */

export const roles = [
  { key: "storeManager", label: "Store Manager", scope: "store" },
  { key: "dispatchTeam", label: "Dispatch Team", scope: "all" },
  { key: "productionTeam", label: "Production Team", scope: "all" },
  { key: "qualityControl", label: "Quality Control", scope: "all" },
  { key: "ops", label: "Operations (read-only)", scope: "all" },
  { key: "admin", label: "Administrator", scope: "all" },
] as const;

export type RoleKey = (typeof roles)[number]["key"];
export const roleKeys = roles.map((r) => r.key) as [RoleKey, ...RoleKey[]];
export const roleLabel = (key: RoleKey) => roles.find((r) => r.key === key)!.label;

export const orderStates = ["active", "onHold", "completed", "cancelled"] as const;
export type OrderState = (typeof orderStates)[number];
export const orderStateLabels: Record<OrderState, string> = {
  active: "Active",
  onHold: "On hold",
  completed: "Completed",
  cancelled: "Cancelled",
};

const HOUR = 60 * 60 * 1000;

// --- Field value schemas -------------------------------------------------------------------
// Form values arrive as strings; each schema accepts the form's strings and yields the stored
// value. An empty string means "not filled in" and is turned into undefined before parsing.

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Enter a date as YYYY-MM-DD").refine(
  (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)),
  "Enter a real date",
);

/** Today's date (UTC) as YYYY-MM-DD; the Required Delivery Date may not be before it. */
export function todayIso(now = new Date()) {
  return now.toISOString().slice(0, 10);
}

const dateTime = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)), "Enter a date and time")
  .transform((s) => new Date(s).toISOString());

const intFrom = (min: number, max: number, label: string) =>
  z.coerce
    .number({ error: `${label} must be a whole number` })
    .int(`${label} must be a whole number`)
    .min(min, `${label} must be at least ${min}`)
    .max(max, `${label} must be at most ${max}`);

export const fieldSchemas = {
  productSpecifications: z
    .string()
    .trim()
    .min(10, "Describe the product in at least 10 characters")
    .max(5000, "Keep the specifications under 5000 characters"),
  orderQuantity: intFrom(1, 100000, "Order Quantity"),
  requiredDeliveryDate: isoDate.refine((s) => s >= todayIso(), "The delivery date cannot be in the past"),
  orderFeasibility: z
    .object({
      decision: z.enum(["feasible", "notFeasible"], { error: "Choose feasible or not feasible" }),
      reason: z.string().trim().max(2000).optional().default(""),
    })
    .refine((v) => v.decision === "feasible" || v.reason.length >= 3, {
      message: "Give a reason when the order is not feasible",
      path: ["reason"],
    }),
  productionSchedule: z
    .object({
      start: isoDate,
      end: isoDate,
      confirmed: checkboxSchema,
    })
    .refine((v) => v.end >= v.start, { message: "The end cannot be before the start", path: ["end"] }),
  specialRequirements: z.string().trim().max(2000, "Keep it under 2000 characters"),
  productionStatus: z.enum(["notStarted", "inProgress", "onHold", "completed"], {
    error: "Choose a production status",
  }),
  completionPercentage: intFrom(0, 100, "Completion Percentage"),
  qualityCheckResults: z
    .object({
      result: z.enum(["pass", "fail"], { error: "Choose pass or fail" }),
      notes: z.string().trim().max(2000).optional().default(""),
    })
    .refine((v) => v.result === "pass" || v.notes.length >= 3, {
      message: "Describe what failed",
      path: ["notes"],
    }),
  shipmentMethod: z.enum(["courier", "freight", "ownFleet", "storePickup"], { error: "Choose a shipment method" }),
  trackingNumber: z
    .string()
    .trim()
    .min(3, "Tracking Number needs at least 3 characters")
    .max(64, "Tracking Number is at most 64 characters")
    .regex(/^[A-Za-z0-9][A-Za-z0-9 ._/-]*$/, "Use letters, digits, spaces, dots, slashes and dashes"),
  estimatedDeliveryTime: dateTime,
  receiptConfirmation: z.object({
    confirmedBy: z.string().trim().min(2, "Name the person who received the order").max(200),
  }),
  productCondition: z.enum(["good", "minorDamage", "damaged", "wrongSpecification"], {
    error: "Choose the product condition",
  }),
  customerFeedback: z.object({
    rating: intFrom(1, 5, "Rating"),
    comment: z.string().trim().max(2000).optional().default(""),
  }),
} as const;

export type FieldKey = keyof typeof fieldSchemas;
export type FieldValue<K extends FieldKey> = z.output<(typeof fieldSchemas)[K]>;
export type FieldValues = { [K in FieldKey]?: FieldValue<K> };

export type Option = { value: string; label: string };
const options = (pairs: Record<string, string>): Option[] =>
  Object.entries(pairs).map(([value, label]) => ({ value, label }));

export type FieldInput =
  | { kind: "longText" }
  | { kind: "text" }
  | { kind: "integer"; min: number; max: number; suffix?: string }
  | { kind: "date" }
  | { kind: "dateTime" }
  | { kind: "select"; options: Option[] }
  | { kind: "feasibility"; options: Option[] }
  | { kind: "schedule" }
  | { kind: "inspection"; options: Option[] }
  | { kind: "receipt" }
  | { kind: "feedback" };

export type FieldDef = {
  key: FieldKey;
  label: string;
  required: boolean;
  input: FieldInput;
  help?: string;
  /** Narrows who may edit the field within its stage (SPEC.md); otherwise owner and workers. */
  editors?: RoleKey[];
};

export const productionStatusOptions = options({
  notStarted: "Not started",
  inProgress: "In progress",
  onHold: "On hold",
  completed: "Completed",
});
export const shipmentMethodOptions = options({
  courier: "Courier",
  freight: "Freight",
  ownFleet: "Own fleet",
  storePickup: "Store pickup",
});
export const productConditionOptions = options({
  good: "Good",
  minorDamage: "Minor damage",
  damaged: "Damaged",
  wrongSpecification: "Wrong specification",
});
export const feasibilityOptions = options({ feasible: "Feasible", notFeasible: "Not feasible" });
export const inspectionOptions = options({ pass: "Pass", fail: "Fail" });

// --- Stages --------------------------------------------------------------------------------

export type StageTarget = {
  /** The stage is overdue this long after it was entered. */
  dueAfterMs: number;
  /** The stage is at risk this long after it was entered. */
  riskAfterMs: number;
  label: string;
};

export type StageDef = {
  number: number;
  key: StageKey;
  name: string;
  owner: RoleKey;
  workers: RoleKey[];
  target: StageTarget;
  fields: FieldDef[];
  todos: { key: string; label: string }[];
};

export const stageKeys = [
  "storeOrder",
  "dispatchReceiving",
  "inProduction",
  "dispatching",
  "storeReceived",
] as const;
export type StageKey = (typeof stageKeys)[number];

const target = (dueHours: number, label: string, riskHours = dueHours * 0.75): StageTarget => ({
  dueAfterMs: dueHours * HOUR,
  riskAfterMs: riskHours * HOUR,
  label,
});

export const stages: StageDef[] = [
  {
    number: 1,
    key: "storeOrder",
    name: "Store Order",
    owner: "storeManager",
    workers: ["dispatchTeam"],
    target: target(4, "4 hours"),
    fields: [
      { key: "productSpecifications", label: "Product Specifications", required: true, input: { kind: "longText" } },
      { key: "orderQuantity", label: "Order Quantity", required: true, input: { kind: "integer", min: 1, max: 100000 } },
      { key: "requiredDeliveryDate", label: "Required Delivery Date", required: true, input: { kind: "date" } },
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
    fields: [
      {
        key: "orderFeasibility",
        label: "Order Feasibility",
        required: true,
        input: { kind: "feasibility", options: feasibilityOptions },
        help: "Not feasible puts the order on hold and alerts the store.",
      },
      {
        key: "productionSchedule",
        label: "Production Schedule",
        required: true,
        input: { kind: "schedule" },
        help: "Planned start and end. An end after the required delivery date must be confirmed.",
      },
      { key: "specialRequirements", label: "Special Requirements", required: false, input: { kind: "longText" } },
    ],
    todos: [
      { key: "reviewSpecifications", label: "Review order specifications" },
      { key: "verifyCapacity", label: "Verify production capacity" },
      { key: "scheduleSlot", label: "Schedule production slot" },
    ],
  },
  {
    number: 3,
    key: "inProduction",
    name: "In Production",
    owner: "productionTeam",
    workers: ["qualityControl"],
    target: target(120, "3–5 days", 72),
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
      },
    ],
    todos: [
      { key: "manufacture", label: "Manufacture products according to specifications" },
      { key: "inProcessChecks", label: "Perform in-process quality checks" },
      { key: "updateProgress", label: "Update production progress" },
    ],
  },
  {
    number: 4,
    key: "dispatching",
    name: "Dispatching",
    owner: "dispatchTeam",
    workers: ["dispatchTeam"],
    target: target(24, "1 day"),
    fields: [
      {
        key: "shipmentMethod",
        label: "Shipment Method",
        required: true,
        input: { kind: "select", options: shipmentMethodOptions },
      },
      { key: "trackingNumber", label: "Tracking Number", required: true, input: { kind: "text" } },
      { key: "estimatedDeliveryTime", label: "Estimated Delivery Time", required: true, input: { kind: "dateTime" } },
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
    fields: [
      { key: "receiptConfirmation", label: "Receipt Confirmation", required: true, input: { kind: "receipt" } },
      {
        key: "productCondition",
        label: "Product Condition",
        required: true,
        input: { kind: "select", options: productConditionOptions },
      },
      { key: "customerFeedback", label: "Customer Feedback", required: false, input: { kind: "feedback" } },
    ],
    todos: [
      { key: "verifyReceipt", label: "Verify product receipt" },
      { key: "checkQuality", label: "Check product quality and specifications" },
      { key: "confirmCompletion", label: "Confirm order completion" },
    ],
  },
];

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

export function nextStage(key: StageKey): StageKey | null {
  const i = stageKeys.indexOf(key);
  return i < stageKeys.length - 1 ? stageKeys[i + 1] : null;
}

/** Fully qualified to-do key, e.g. "storeOrder.submitSpecifications". */
export const todoKey = (s: StageKey, todo: string) => `${s}.${todo}`;
export const allTodoKeys = stages.flatMap((s) => s.todos.map((t) => todoKey(s.key, t.key)));
