import type { FieldKey, FieldValues, InspectionResult } from "./fields";
import { productConditions } from "./fields";
import { rolesAllowed } from "./permissions";
import type { RoleKey } from "./roles";
import { isDeliveryProblem } from "./rules";
import { type OrderState, type StageKey, firstStage, stage, stageKeys, stages } from "./stages";

/**
 * What happens next to an order and who has it, read from the definition: the line on every queue
 * row, board card and order header ("Waiting for QC", "Rework (QC failed ×2)", "Proposal — store
 * to decide", "In transit — ETA 16 Dec"). One pure function; db/queries/next-step-sql.ts is its
 * SQL twin for sorting "My work", held equal by tests/next-step-sql.test.ts.
 */

/** What nextStep reads of an order. */
export type NextStepFacts = {
  state: OrderState;
  stage: StageKey;
  fields: FieldValues;
  /** When the store first sent the order (stage 1 completed); a second draft is a revision. */
  submittedAt: Date | null;
  /** Dispatch proposed an alternative for the held order. */
  hasProposal: boolean;
  /** Inspections of the order that failed, and the latest inspection's result. */
  failedInspections: number;
  latestInspection: InspectionResult | null;
  /** The latest inspection came after the last update of the stage's fields (or its entry). */
  inspectedSinceUpdate: boolean;
};

/**
 * The kinds of next step, in the order "My work" lists them: the flow of an order, with the
 * turns inside a stage where they happen.
 */
export const stepKinds = [
  "draft",
  "revised",
  "waiting",
  "rework",
  "inspection",
  "passed",
  "inTransit",
  "receiptDue",
  "proposal",
  "onHold",
  "completed",
  "cancelled",
] as const;
export type StepKind = (typeof stepKinds)[number];

export type NextStep = {
  kind: StepKind;
  /** The order's stage: with the kind, the step's place in "My work". */
  stage: StageKey;
  label: string;
  /** Who has the step; null when nothing is awaited (completed, cancelled). */
  role: RoleKey | null;
};

/** The stage whose inspections gate it (In Production), and the role that records them. */
const inspected = stages.find((s) => s.fields.some((f) => f.recordedAs === "inspection"));
const inspector: RoleKey | null = inspected ? (rolesAllowed("recordInspection", inspected.key)[0] ?? null) : null;
/** Who decides on a held order: the role that may revise it. */
const decider: RoleKey = rolesAllowed("reviseOrder", firstStage)[0];

/** The fields nextStep reads: the inspected stage's own work, the expected arrival, the condition received. */
export const nextStepFields: FieldKey[] = [
  ...new Set<FieldKey>([
    ...(inspected?.fields.filter((f) => !f.recordedAs).map((f) => f.key) ?? []),
    ...stages.flatMap((s) => (s.waiting.eta ? [s.waiting.eta] : [])),
    "productCondition",
  ]),
];

const shortDate = new Map<string, Intl.DateTimeFormat>();
/** "16 Dec" in the viewer's zone. */
function dayMonth(d: Date, timeZone: string) {
  let f = shortDate.get(timeZone);
  if (!f) shortDate.set(timeZone, (f = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone })));
  return f.format(d);
}

/** Has the stage's own work (everything its gate asks but the inspection) been done? */
function workDone(stageKey: StageKey, fields: FieldValues) {
  const gate = stage(stageKey).gate;
  return !gate || gate({ fields, latestInspection: "pass", photos: 1 }).length === 0;
}

export function nextStep(order: NextStepFacts, { now = new Date(), timeZone = "UTC" }: { now?: Date; timeZone?: string } = {}): NextStep {
  const def = stage(order.stage);
  const at = (kind: StepKind, label: string, role: RoleKey | null): NextStep => ({ kind, stage: order.stage, label, role });
  if (order.state === "cancelled") return at("cancelled", "Cancelled", null);
  if (order.state === "completed") {
    const condition = order.fields.productCondition;
    return at("completed", isDeliveryProblem(order.fields) && condition ? `Completed — received ${productConditions.labels[condition].toLowerCase()}` : "Completed", null);
  }
  if (order.state === "onHold") {
    if (order.hasProposal) return at("proposal", "Proposal — store to decide", decider);
    return at("onHold", `On hold: ${def.holdWhen?.label ?? "held"} — store to revise or cancel`, decider);
  }
  if (def.key === inspected?.key) {
    const failed = order.latestInspection === "fail";
    const done = workDone(def.key, order.fields);
    // A failure stands until the work is done again after it; then it waits for a new inspection.
    if (failed && (order.inspectedSinceUpdate || !done)) return at("rework", `Rework (QC failed ×${Math.max(1, order.failedInspections)})`, def.owner);
    if (done && order.latestInspection === "pass") return at("passed", "Passed QC — ready to complete", def.owner);
    if (done) return at("inspection", "Waiting for QC", inspector ?? def.owner);
    const pct = order.fields.completionPercentage;
    return at("waiting", pct !== undefined ? `${def.waiting.label} — ${pct}%` : def.waiting.label, def.owner);
  }
  if (def.marks === "submitted" && def.waiting.again && order.submittedAt) return at("revised", def.waiting.again, def.owner);
  if (def.marks === "submitted") return at("draft", def.waiting.label, def.owner);
  const etaField = def.waiting.eta;
  if (etaField) {
    const eta = order.fields[etaField];
    if (typeof eta === "string" && Date.parse(eta) > now.getTime()) return at("inTransit", `${def.waiting.label} — ETA ${dayMonth(new Date(eta), timeZone)}`, def.owner);
    return at("receiptDue", "Delivery due — store to confirm receipt", def.owner);
  }
  return at("waiting", def.waiting.label, def.owner);
}

/** A step's place in "My work": by stage in the flow, then by kind within the stage. */
export function stepRank(step: Pick<NextStep, "kind" | "stage">): number {
  return stageKeys.indexOf(step.stage) * stepKinds.length + stepKinds.indexOf(step.kind);
}
