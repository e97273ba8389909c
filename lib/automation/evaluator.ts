import type { AutomationRule, Order, OrderEvent, RecipientSpec, RuleTrigger, TriggerType } from "@/db/schema";
import { type RoleKey, type StageKey, compoundKinds, deliveryAtRisk, field as fieldDef, isFieldKey, mayReadStore, roleReachesStore, stage, stageKeys, stageOfField, storedClock } from "@/lib/workflow";
import { matchesRuleValue } from "./values";

/**
 * The pure half of the rule engine: given rules, orders (or one order's saved changes or stage
 * entry) and the time, which rules fire on which order, for which occasion, and who is told. No
 * database: the runner (runner.ts) loads the inputs and applies the result, and the unique key on
 * (rule, order, occasion) is what makes a firing happen once.
 */

export type Priority = AutomationRule["priority"];
export type RuleFacts = Pick<AutomationRule, "id" | "trigger" | "recipients" | "message" | "priority" | "enabled">;

/** The time triggers, evaluated by the automation pass; the others fire inside the command that causes them. */
export const timeTriggers = ["stage_at_risk", "stage_overdue", "delivery_at_risk"] as const satisfies readonly TriggerType[];
export type TimeTrigger = (typeof timeTriggers)[number];
export const isTimeTrigger = (t: RuleTrigger): t is Extract<RuleTrigger, { type: TimeTrigger }> => (timeTriggers as readonly string[]).includes(t.type);

/** What the time triggers need of an active order: its stage clocks, delivery date and current stage entry. */
export type TimeCandidate = Pick<Order, "id" | "storeId" | "stage" | "state" | "stageEnteredAt" | "stageDueAt" | "requiredDeliveryDate"> & {
  /** The stored risk time (null or absent on rows written before calendars). */
  stageRiskAt?: Date | null;
  stageEntryId: number;
  /** How often the entry's due time moved (a changed plan); 0 when it never did. */
  dueRevision?: number;
};

/** The people tied to one order, for the recipients that name them. */
export type OrderPeople = { assigneeId: number | null; commenterIds: readonly number[] };
export const noPeople: OrderPeople = { assigneeId: null, commenterIds: [] };

export type FieldChange = { field: string; before: unknown; after: unknown };

export type Firing = {
  ruleId: number;
  /** Firings of one event (trigger type, order, occasion) tell each recipient once: see tellOnce. */
  triggerType: TriggerType;
  orderId: number;
  storeId: number;
  /** The order's stage the firing is about: "the owner role of the current stage" reads it. */
  stage: Order["stage"];
  occasion: string;
  recipients: RecipientSpec[];
  message: string;
  priority: Priority;
  people: OrderPeople;
  /** Why, in the words of whoever caused it (the not-feasible reason, the inspection notes, the proposal): added to the message. */
  detail?: string | null;
  /** The event, when rules of different triggers announce the same one (an inspection and the field it saves). */
  event?: string;
  /** Whoever caused the event is not alerted of it. */
  causedBy?: number | null;
};

/** An account that may receive notifications: its roles and (for store-scoped roles) its stores. */
export type RecipientAccount = { id: number; roles: RoleKey[]; storeIds: number[] };

/** "The order's store managers": holders of this role in the order's store. */
const STORE_MANAGER: RoleKey = "storeManager";

/** Once per stage entry: entering, turning at risk and turning overdue each happen once per entry. */
export const STAGE_ENTRY_PREFIX = "stage-entry:";
export const stageEntryOccasion = (stageEntryId: number) => `${STAGE_ENTRY_PREFIX}${stageEntryId}`;
/**
 * At risk and overdue: once per due time of the entry. A plan that moves the due time raises the
 * entry's due revision, and the new due time is alerted on once more (the first keeps the plain key).
 */
export const DUE_REVISION_SEPARATOR = "/due:";
export const stageClockOccasion = (stageEntryId: number, dueRevision = 0) =>
  dueRevision > 0 ? `${stageEntryOccasion(stageEntryId)}${DUE_REVISION_SEPARATOR}${dueRevision}` : stageEntryOccasion(stageEntryId);
/** Once per change to the value: the order's version after the save that changed it. */
export const versionOccasion = (version: number) => `v${version}`;
/** Once per Required Delivery Date: a new date (say, an accepted proposal) that is at risk again fires again. */
export const DELIVERY_PREFIX = "delivery:";
export const deliveryOccasion = (requiredDeliveryDate: string) => `${DELIVERY_PREFIX}${requiredDeliveryDate}`;

/** Once per inspection: two fails in a row are two alerts. */
export const inspectionOccasion = (inspectionId: number) => `inspection:${inspectionId}`;

/** The stages a time trigger watches; null for every stage. */
export function triggerStages(trigger: RuleTrigger): StageKey[] | null {
  if (trigger.type !== "stage_at_risk" && trigger.type !== "stage_overdue") return null;
  if (trigger.stages?.length) return trigger.stages;
  return trigger.stage ? [trigger.stage] : null;
}

/**
 * The value a `field_equals` rule compares with: the part of a compound field that holds its
 * choice (the definition's `compoundKinds`: the feasibility decision, the inspection result, the
 * rating …), the text of a plain one. Null when the field is empty. The runner's SQL reads the
 * same (runner.ts, comparableValueSql).
 */
export function comparableValue(field: string, value: unknown): string | null {
  if (value === null || value === undefined || value === "") return null;
  if (typeof value !== "object") return String(value);
  const part = isFieldKey(field) ? compoundKinds[fieldDef(field).input.kind]?.choice : undefined;
  const chosen = part === undefined ? undefined : (value as Record<string, unknown>)[part];
  return chosen === undefined || chosen === null || chosen === "" ? null : String(chosen);
}

/** What a field's value says beside its choice (the not-feasible reason, the inspection notes): the alert's reason. */
export function valueDetail(value: unknown): string | null {
  if (!value || typeof value !== "object") return null;
  const v = value as Record<string, unknown>;
  const text = [v.reason, v.notes].find((x) => typeof x === "string" && x.trim());
  return typeof text === "string" ? text.trim() : null;
}

const fire = (rule: RuleFacts, order: { id: number; storeId: number; stage: Order["stage"] }, occasion: string, people: OrderPeople = noPeople): Firing => ({
  ruleId: rule.id,
  triggerType: rule.trigger.type,
  orderId: order.id,
  storeId: order.storeId,
  stage: order.stage,
  occasion,
  recipients: rule.recipients,
  message: rule.message,
  priority: rule.priority,
  people,
});

/**
 * Field rules for one save: a rule fires when the saved value now equals the rule's value and did
 * not before, so an unchanged value fires nothing and changing away and back fires again.
 */
export function evaluateFieldChanges(
  rules: readonly RuleFacts[],
  order: Pick<Order, "id" | "storeId" | "stage" | "state" | "version">,
  changes: readonly FieldChange[],
  people: OrderPeople = noPeople,
): Firing[] {
  const firings: Firing[] = [];
  for (const rule of rules) {
    const t = rule.trigger;
    if (!rule.enabled || t.type !== "field_equals" || order.state !== "active" || t.stage !== order.stage) continue;
    const change = changes.find((c) => c.field === t.field);
    if (!change) continue;
    const now = matchesRuleValue(t.field, comparableValue(t.field, change.after), t.value);
    const was = matchesRuleValue(t.field, comparableValue(t.field, change.before), t.value);
    if (now && !was) firings.push({ ...fire(rule, order, versionOccasion(order.version), people), detail: valueDetail(change.after) });
  }
  return firings;
}

/** "Order enters stage": fired by the command that moves the order, once for the new stage entry. */
export function evaluateStageEntered(
  rules: readonly RuleFacts[],
  order: Pick<Order, "id" | "storeId" | "stage" | "state">,
  stageEntryId: number,
  people: OrderPeople = noPeople,
): Firing[] {
  if (order.state !== "active") return [];
  return rules
    .filter((r) => r.enabled && r.trigger.type === "stage_entered" && r.trigger.stage === order.stage)
    .map((r) => fire(r, order, stageEntryOccasion(stageEntryId), people));
}

/** "Inspection recorded" (with its result, or any): fired by the command that records it, once per inspection. */
export function evaluateInspection(
  rules: readonly RuleFacts[],
  order: Pick<Order, "id" | "storeId" | "stage" | "state">,
  inspection: { id: number; result: "pass" | "fail"; notes: string; inspectorId: number },
  people: OrderPeople = noPeople,
): Firing[] {
  if (order.state !== "active") return [];
  return rules
    .filter((r) => r.enabled && r.trigger.type === "inspection_recorded" && (!r.trigger.result || r.trigger.result === inspection.result))
    .map((r) => ({ ...fire(r, order, inspectionOccasion(inspection.id), people), detail: inspection.notes.trim() || null, causedBy: inspection.inspectorId }));
}

/** A hand-off (order_event): fired by the command that makes it, once per change (the order's version after it). */
export function evaluateOrderEvent(
  rules: readonly RuleFacts[],
  order: Pick<Order, "id" | "storeId" | "stage" | "version">,
  event: { event: OrderEvent; detail?: string | null; causedBy: number },
  people: OrderPeople = noPeople,
): Firing[] {
  return rules
    .filter((r) => r.enabled && r.trigger.type === "order_event" && r.trigger.event === event.event)
    .map((r) => ({ ...fire(r, order, versionOccasion(order.version), people), detail: event.detail ?? null, causedBy: event.causedBy }));
}

/**
 * Does a time trigger hold for an order now, and for which occasion? At risk holds from the
 * stage's risk time until it is overdue (an order first seen already overdue is escalated as
 * overdue, not also warned of); overdue from the due time; delivery at risk while the remaining
 * stage targets no longer fit before the Required Delivery Date.
 */
export function timeOccasion(trigger: RuleTrigger, order: TimeCandidate, now: Date): string | null {
  if (order.state !== "active") return null;
  const watched = triggerStages(trigger);
  if (watched && !watched.includes(order.stage)) return null;
  const t = now.getTime();
  switch (trigger.type) {
    case "stage_overdue":
      return order.stageDueAt.getTime() <= t ? stageClockOccasion(order.stageEntryId, order.dueRevision) : null;
    case "stage_at_risk":
      return storedClock(order).riskAt.getTime() <= t && order.stageDueAt.getTime() > t ? stageClockOccasion(order.stageEntryId, order.dueRevision) : null;
    case "delivery_at_risk":
      return order.requiredDeliveryDate && deliveryAtRisk(order.stage, order.stageDueAt, order.requiredDeliveryDate, now)
        ? deliveryOccasion(order.requiredDeliveryDate)
        : null;
    default:
      return null;
  }
}

/** Time rules over a set of orders. On-hold, completed and cancelled orders never fire. */
export function evaluateTimeRules(
  rules: readonly RuleFacts[],
  orders: readonly TimeCandidate[],
  now: Date,
  peopleOf: (orderId: number) => OrderPeople = () => noPeople,
): Firing[] {
  const active = rules.filter((r) => r.enabled && isTimeTrigger(r.trigger));
  const firings: Firing[] = [];
  for (const order of orders) {
    for (const rule of active) {
      const occasion = timeOccasion(rule.trigger, order, now);
      if (occasion) firings.push(fire(rule, order, occasion, peopleOf(order.id)));
    }
  }
  return firings;
}

/** The card's overdue rule alone: kept for callers that evaluate only it. */
export function evaluateOverdue(rules: readonly RuleFacts[], orders: readonly TimeCandidate[], now: Date): Firing[] {
  return evaluateTimeRules(rules.filter((r) => r.trigger.type === "stage_overdue"), orders, now);
}

/**
 * Would the rule's trigger hold for this order now (the admin page's preview)? Field rules: the
 * order is in the rule's stage with the value; "enters stage": the order is in that stage; time
 * rules: as the pass decides. No side effects.
 */
export function triggerHoldsNow(trigger: RuleTrigger, order: TimeCandidate & Pick<Order, "fields">, now: Date): boolean {
  if (order.state !== "active") return false;
  if (trigger.type === "field_equals") {
    return order.stage === trigger.stage && matchesRuleValue(trigger.field, comparableValue(trigger.field, (order.fields as Record<string, unknown>)[trigger.field]), trigger.value);
  }
  if (trigger.type === "stage_entered") return order.stage === trigger.stage;
  // The latest inspection of an order in production, as the alert would say it.
  if (trigger.type === "inspection_recorded") {
    const latest = comparableValue("qualityCheckResults", order.fields.qualityCheckResults);
    return order.stage === stageOfField("qualityCheckResults") && latest !== null && (!trigger.result || latest === trigger.result);
  }
  if (trigger.type === "order_event") return false;
  return timeOccasion(trigger, order, now) !== null;
}

/** Roles a recipient list can reach by role, for loading candidate accounts. */
export function recipientRoles(specs: readonly RecipientSpec[], stageKey?: Order["stage"]): RoleKey[] {
  const out = new Set<RoleKey>();
  for (const s of specs) {
    if (s.kind === "role") out.add(s.role);
    if (s.kind === "storeManagers") out.add(STORE_MANAGER);
    if (s.kind === "stageOwner") {
      if (stageKey) out.add(stage(stageKey).owner);
    }
  }
  return [...out];
}

/**
 * Could the rule ever alert an account with these roles (the inbox's rule filter)? A rule that
 * names the assignee or the commenters may alert anyone; the others, the holders of their roles
 * in the rule's stage (or any stage when it names none).
 */
export function mayNotify(rule: Pick<RuleFacts, "recipients" | "trigger">, roles: readonly RoleKey[]): boolean {
  if (rule.recipients.some((r) => r.kind === "assignee" || r.kind === "commenters")) return true;
  const t = rule.trigger;
  const ruleStages = triggerStages(t) ?? ("stage" in t && t.stage ? [t.stage] : stageKeys);
  return ruleStages.some((st) => recipientRoles(rule.recipients, st).some((r) => roles.includes(r)));
}

/**
 * Who a firing tells, each once: holders of a role (a store-scoped role only for the order's own
 * store), the order's store managers, the owner role of the stage the firing is about, the person
 * assigned to it, and everyone who commented. A named person is told only while they may read
 * the order (a store manager moved to another store is not).
 */
export function recipientsFor(
  firing: Pick<Firing, "recipients" | "storeId" | "stage"> & { people?: OrderPeople; causedBy?: number | null },
  accounts: readonly RecipientAccount[],
): number[] {
  const byRole = (role: RoleKey) => accounts.filter((a) => a.roles.includes(role) && roleReachesStore(role, a, firing.storeId)).map((a) => a.id);
  const reads = (id: number | null) => {
    const a = id === null ? undefined : accounts.find((x) => x.id === id);
    return a && mayReadStore(a, firing.storeId) ? [a.id] : [];
  };
  const people = firing.people ?? noPeople;
  const ids = new Set<number>();
  for (const spec of firing.recipients) {
    const found =
      spec.kind === "role"
        ? byRole(spec.role)
        : spec.kind === "storeManagers"
          ? byRole(STORE_MANAGER)
          : spec.kind === "stageOwner"
            ? byRole(stage(firing.stage).owner)
            : spec.kind === "assignee"
              ? reads(people.assigneeId)
              : people.commenterIds.flatMap(reads);
    for (const id of found) if (id !== firing.causedBy) ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}

/** The event a firing is about: rules with the same trigger on the same order and occasion. */
export const eventKey = (f: Pick<Firing, "triggerType" | "orderId" | "occasion" | "event">) => f.event ?? `${f.triggerType}/${f.orderId}/${f.occasion}`;

/**
 * One alert per recipient per order per event: when several rules fire for one event (the card's
 * escalation and "Stage overdue" on an overdue order in production), each recipient is told by
 * the first of them (lowest rule id) that names them. Deterministic, so concurrent passes agree
 * on which firing carries whose notification. Returns each firing's recipients, in order.
 */
export function tellOnce(firings: readonly Firing[], recipientsOf: (f: Firing) => number[]): Map<Firing, number[]> {
  const told = new Map<string, Set<number>>();
  const out = new Map<Firing, number[]>();
  for (const f of [...firings].sort((a, b) => a.ruleId - b.ruleId)) {
    const key = eventKey(f);
    const seen = told.get(key) ?? new Set<number>();
    told.set(key, seen);
    const ids = recipientsOf(f).filter((id) => !seen.has(id));
    for (const id of ids) seen.add(id);
    out.set(f, ids);
  }
  return out;
}
