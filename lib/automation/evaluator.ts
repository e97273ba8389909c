import type { AutomationRule, Order } from "@/db/schema";
import { type RoleKey, field as fieldDef, isFieldKey, roleReachesStore } from "@/lib/workflow";

/**
 * The pure half of the rule engine: given rules, orders (or one order's saved changes) and the
 * time, which rules fire on which order, for which occasion, and who is told. No database: the
 * runner (runner.ts) loads the inputs and applies the result, and the unique key on
 * (rule, order, occasion) is what makes a firing happen once.
 */

export type Priority = AutomationRule["priority"];
export type RuleFacts = Pick<AutomationRule, "id" | "trigger" | "recipientRole" | "message" | "priority" | "enabled">;

/** What the overdue trigger needs of an active order: its stage, due time and current stage entry. */
export type OverdueCandidate = Pick<Order, "id" | "storeId" | "stage" | "state" | "stageDueAt"> & { stageEntryId: number };

export type FieldChange = { field: string; before: unknown; after: unknown };

export type Firing = {
  ruleId: number;
  orderId: number;
  storeId: number;
  occasion: string;
  recipientRole: RoleKey;
  message: string;
  priority: Priority;
};

/** An account that may receive notifications: its roles and (for store-scoped roles) its stores. */
export type RecipientAccount = { id: number; roles: RoleKey[]; storeIds: number[] };

/** Once per stage entry: a second overdue escalation needs the order to leave and re-enter a stage. */
export const STAGE_ENTRY_PREFIX = "stage-entry:";
export const stageEntryOccasion = (stageEntryId: number) => `${STAGE_ENTRY_PREFIX}${stageEntryId}`;
/** Once per change to the value: the order's version after the save that changed it. */
export const versionOccasion = (version: number) => `v${version}`;

/**
 * The value a `field_equals` rule compares with: the choice of a structured field (the feasibility
 * decision, the inspection result), the text of a plain one. Null when the field is empty.
 */
export function comparableValue(field: string, value: unknown): string | null {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value !== "object") return String(value);
  const v = value as Record<string, unknown>;
  const kind = isFieldKey(field) ? fieldDef(field).input.kind : null;
  const pick = (key: string) => (v[key] === undefined || v[key] === null ? null : String(v[key]));
  switch (kind) {
    case "feasibility":
      return pick("decision");
    case "inspection":
      return pick("result");
    case "feedback":
      return pick("rating");
    case "receipt":
      return pick("confirmedBy");
    default:
      return JSON.stringify(value);
  }
}

const fire = (rule: RuleFacts, order: { id: number; storeId: number }, occasion: string): Firing => ({
  ruleId: rule.id,
  orderId: order.id,
  storeId: order.storeId,
  occasion,
  recipientRole: rule.recipientRole,
  message: rule.message,
  priority: rule.priority,
});

/**
 * Field rules for one save: a rule fires when the saved value now equals the rule's value and did
 * not before, so an unchanged value fires nothing and changing away and back fires again.
 */
export function evaluateFieldChanges(
  rules: readonly RuleFacts[],
  order: Pick<Order, "id" | "storeId" | "stage" | "state" | "version">,
  changes: readonly FieldChange[],
): Firing[] {
  const firings: Firing[] = [];
  for (const rule of rules) {
    const t = rule.trigger;
    if (!rule.enabled || t.type !== "field_equals" || order.state !== "active" || t.stage !== order.stage) continue;
    const change = changes.find((c) => c.field === t.field);
    if (!change) continue;
    const now = comparableValue(t.field, change.after) === t.value;
    const was = comparableValue(t.field, change.before) === t.value;
    if (now && !was) firings.push(fire(rule, order, versionOccasion(order.version)));
  }
  return firings;
}

/**
 * Overdue rules over a set of orders: an active order whose stage was due at or before `now`
 * fires once for its current stage entry. On-hold, completed and cancelled orders never do.
 */
export function evaluateOverdue(rules: readonly RuleFacts[], orders: readonly OverdueCandidate[], now: Date): Firing[] {
  const active = rules.filter((r) => r.enabled && r.trigger.type === "stage_overdue");
  const firings: Firing[] = [];
  for (const order of orders) {
    if (order.state !== "active" || order.stageDueAt.getTime() > now.getTime()) continue;
    for (const rule of active) {
      const t = rule.trigger;
      if (t.type === "stage_overdue" && t.stage && t.stage !== order.stage) continue;
      firings.push(fire(rule, order, stageEntryOccasion(order.stageEntryId)));
    }
  }
  return firings;
}

/** Everyone holding the rule's role; a store-scoped role only for the order's own store. */
export function recipientsFor(firing: Pick<Firing, "recipientRole" | "storeId">, accounts: readonly RecipientAccount[]): number[] {
  return accounts
    .filter((a) => a.roles.includes(firing.recipientRole) && roleReachesStore(firing.recipientRole, a, firing.storeId))
    .map((a) => a.id);
}
