import { z } from "zod";
import { type Option, checkboxSchema, choices } from "@/lib/forms/fields";
import { dateTimeSchema, isoDateSchema, textSchema, wholeNumberSchema } from "@/lib/forms/input";
import type { RoleKey } from "./roles";
import type { StageKey } from "./stage-keys";

/**
 * The fifteen output fields of SPEC.md and the Condition Note a delivery gone wrong needs (SPEC:
 * When a delivery goes wrong): one zod schema each, and how each is entered. Form values
 * arrive as strings; each schema accepts the form's strings and yields the stored value. An
 * empty string means "not filled in" and is turned into undefined before parsing.
 */

export type { Option };

export const productionStatuses = choices({ notStarted: "Not started", inProgress: "In progress", onHold: "On hold", completed: "Completed" });
export const shipmentMethods = choices({ courier: "Courier", freight: "Freight", ownFleet: "Own fleet", storePickup: "Store pickup" });
export const productConditions = choices({ good: "Good", minorDamage: "Minor damage", damaged: "Damaged", wrongSpecification: "Wrong specification" });
export const feasibilityDecisions = choices({ feasible: "Feasible", notFeasible: "Not feasible" });
export const inspectionResults = choices({ pass: "Pass", fail: "Fail" });

export const productionStatusOptions = productionStatuses.options;
export const shipmentMethodOptions = shipmentMethods.options;
export const productConditionOptions = productConditions.options;
/** Conditions that mean the delivery went wrong: they need a note and a photo, and may ask for a replacement. */
export const deliveryProblems: readonly (typeof productConditions.values)[number][] = ["damaged", "wrongSpecification"];
export const feasibilityOptions = feasibilityDecisions.options;
export const inspectionOptions = inspectionResults.options;

/** Today's date (UTC) as YYYY-MM-DD; the Required Delivery Date may not be before it. */
export function todayIso(now = new Date()) {
  return now.toISOString().slice(0, 10);
}

const intFrom = (min: number, max: number, label: string) => wholeNumberSchema({ min, max, label });

/** An optional note beside a choice: empty when left out. */
const note = (tooLong: string) => textSchema({ max: 2000, tooLong }).optional().default("");

export const fieldSchemas = {
  productSpecifications: textSchema({
    min: 10,
    max: 5000,
    tooShort: "Describe the product in at least 10 characters",
    tooLong: "Keep the specifications under 5000 characters",
  }),
  orderQuantity: intFrom(1, 100000, "Order Quantity"),
  requiredDeliveryDate: isoDateSchema.refine((s) => s >= todayIso(), "The delivery date cannot be in the past"),
  orderFeasibility: z
    .object({
      decision: z.enum(feasibilityDecisions.values, { error: "Choose feasible or not feasible" }),
      reason: note("Keep the reason under 2000 characters"),
    })
    .refine((v) => v.decision === "feasible" || v.reason.length >= 3, {
      message: "Give a reason when the order is not feasible",
      path: ["reason"],
    }),
  productionSchedule: z
    .object({
      start: isoDateSchema,
      end: isoDateSchema,
      confirmed: checkboxSchema,
    })
    .refine((v) => v.end >= v.start, { message: "The end cannot be before the start", path: ["end"] }),
  specialRequirements: textSchema({ max: 2000, tooLong: "Keep it under 2000 characters" }),
  productionStatus: z.enum(productionStatuses.values, { error: "Choose a production status" }),
  completionPercentage: intFrom(0, 100, "Completion Percentage"),
  qualityCheckResults: z
    .object({
      result: z.enum(inspectionResults.values, { error: "Choose pass or fail" }),
      notes: note("Keep the notes under 2000 characters"),
    })
    .refine((v) => v.result === "pass" || v.notes.length >= 3, {
      message: "Describe what failed",
      path: ["notes"],
    }),
  shipmentMethod: z.enum(shipmentMethods.values, { error: "Choose a shipment method" }),
  trackingNumber: textSchema({
    min: 3,
    max: 64,
    singleLine: true,
    tooShort: "Tracking Number needs at least 3 characters",
    tooLong: "Tracking Number is at most 64 characters",
    pattern: [/^[A-Za-z0-9][A-Za-z0-9 ._/-]*$/, "Use letters, digits, spaces, dots, slashes and dashes"],
  }),
  estimatedDeliveryTime: dateTimeSchema,
  receiptConfirmation: z.object({
    confirmedBy: textSchema({ min: 2, max: 200, singleLine: true, tooShort: "Name the person who received the order", tooLong: "Keep the name under 200 characters" }),
  }),
  productCondition: z.enum(productConditions.values, { error: "Choose the product condition" }),
  conditionNote: textSchema({ max: 2000, tooLong: "Keep the note under 2000 characters" }),
  customerFeedback: z.object({
    rating: intFrom(1, 5, "Rating"),
    comment: note("Keep the comment under 2000 characters"),
  }),
} as const;

/**
 * What a stored value must be to count as filled: its shape only. A rule about the moment of
 * entry (a delivery date not in the past) is checked when a value is entered or changed, never
 * again: a date that has since passed is still a date, and a stage completes with it.
 */
export const storedFieldSchemas: { [K in keyof typeof fieldSchemas]: z.ZodType<z.output<(typeof fieldSchemas)[K]>, unknown> } = {
  ...fieldSchemas,
  requiredDeliveryDate: isoDateSchema,
};

export type FieldKey = keyof typeof fieldSchemas;
export type FieldValue<K extends FieldKey> = z.output<(typeof fieldSchemas)[K]>;
export type FieldValues = { [K in FieldKey]?: FieldValue<K> };
export type InspectionResult = (typeof inspectionResults.values)[number];

/**
 * How a field is entered and shown. Compound kinds are entered as `field.part` controls, in the
 * order of `parts`; `choice` names the part that holds the choice a rule compares with.
 */
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
export type FieldKind = FieldInput["kind"];

/** The parts a compound field's form controls are named by (`field.part`), and its compared part. */
export const compoundKinds: Partial<Record<FieldKind, { parts: string[]; choice: string }>> = {
  feasibility: { parts: ["decision", "reason"], choice: "decision" },
  schedule: { parts: ["start", "end", "confirmed"], choice: "start" },
  inspection: { parts: ["result", "notes"], choice: "result" },
  receipt: { parts: ["confirmedBy"], choice: "confirmedBy" },
  feedback: { parts: ["rating", "comment"], choice: "rating" },
};

export type FieldDef = {
  key: FieldKey;
  label: string;
  required: boolean;
  input: FieldInput;
  help?: string;
  /** Narrows who may edit the field within its stage (SPEC.md); otherwise owner and workers. */
  editors?: RoleKey[];
  /**
   * Not saved with the stage form: each value is its own record, kept in full (the quality
   * inspections), entered through its own form and command.
   */
  recordedAs?: "inspection";
  /** Part of the production brief: what the later stages work from, shown on the order page. */
  brief?: boolean;
  /**
   * The plan of a later stage: its clock follows the value (lib/workflow/clock.ts), and the
   * field's editors may still change it while the order is in that stage (SPEC.md "The plan
   * moves the clock").
   */
  plans?: StageKey;
};

/** Fields the stage form saves: all but those recorded as records of their own. */
export const isFormField = (def: FieldDef) => !def.recordedAs;
