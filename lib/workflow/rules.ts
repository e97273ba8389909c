import { z } from "zod";
import {
  type FieldKey,
  type FieldValues,
  type OrderState,
  type RoleKey,
  type StageKey,
  fieldSchemas,
  roles,
  stage,
  stageKeys,
  stages,
  todoKey,
} from "./definition";

/** The pure rules of movement: who may do what to an order in which stage, and when it is due. */

export const orderActions = [
  "readOrder",
  "createOrder",
  "editField",
  "toggleTodo",
  "recordInspection",
  "addAttachment",
  "completeStage",
  "reviseOrder",
  "cancelOrder",
] as const;
export type OrderAction = (typeof orderActions)[number];

export type Actor = {
  id: number;
  name: string;
  email: string;
  roles: RoleKey[];
  storeIds: number[];
};

/** What the rules need to know of an order. */
export type OrderFacts = {
  storeId: number;
  stage: StageKey;
  state: OrderState;
};

export function stageParticipants(key: StageKey): RoleKey[] {
  const s = stage(key);
  return [...new Set([s.owner, ...s.workers])];
}

/** A store-scoped role (store manager) reaches only the orders of its account's stores. */
export const isStoreScoped = (role: RoleKey) => roles.find((d) => d.key === role)?.scope === "store";

/** Roles whose members see every order; the others are limited to their stores. */
export function seesAllStores(actor: Pick<Actor, "roles">) {
  return actor.roles.some((r) => !isStoreScoped(r));
}

/** Does this role, held by this account, reach orders of this store? */
export const roleReachesStore = (role: RoleKey, actor: Pick<Actor, "storeIds">, storeId: number) =>
  !isStoreScoped(role) || actor.storeIds.includes(storeId);

export function mayReadStore(actor: Pick<Actor, "roles" | "storeIds">, storeId: number) {
  return actor.roles.some((r) => roleReachesStore(r, actor, storeId));
}

/** Stages whose queue an account works: those where one of its roles is owner or worker. */
export function queueStages(actor: Pick<Actor, "roles">): StageKey[] {
  return stageKeys.filter((k) => stageParticipants(k).some((r) => actor.roles.includes(r)));
}

/** Which roles may take an action in a stage (and on a field): the permission table. */
export function rolesAllowed(action: OrderAction, stageKey: StageKey, field?: FieldKey): RoleKey[] {
  const s = stage(stageKey);
  switch (action) {
    case "readOrder":
      return roles.map((r) => r.key);
    case "createOrder":
      return stageKey === "storeOrder" ? [s.owner] : [];
    case "editField": {
      const def = s.fields.find((f) => f.key === field);
      if (!def) return [];
      return def.editors ?? stageParticipants(stageKey);
    }
    case "toggleTodo":
      return stageParticipants(stageKey);
    case "recordInspection":
      return rolesAllowed("editField", stageKey, "qualityCheckResults");
    case "addAttachment":
      return stageKey === "storeOrder" ? stageParticipants(stageKey) : [];
    case "completeStage":
      return [s.owner];
    case "reviseOrder":
      return ["storeManager"];
    case "cancelOrder":
      return ["storeManager", "admin"];
  }
}

/** The order states in which an action can be taken at all. */
export function statesAllowed(action: OrderAction): OrderState[] {
  switch (action) {
    case "readOrder":
      return ["active", "onHold", "completed", "cancelled"];
    case "reviseOrder":
      return ["onHold"];
    case "cancelOrder":
      return ["active", "onHold"];
    default:
      return ["active"];
  }
}

export type Decision = { ok: true } | { ok: false; reason: string };

/**
 * May this actor take this action on this order now? Store scope, role, stage and state in one
 * answer. `field` names the field for editField.
 */
export function decide(actor: Actor, action: OrderAction, order: OrderFacts, field?: FieldKey): Decision {
  if (!mayReadStore(actor, order.storeId)) return { ok: false, reason: "Order not found" };
  if (action === "readOrder") return { ok: true };
  const allowed = rolesAllowed(action, order.stage, field);
  // A store manager acts only on their own stores' orders; the other roles act on any store.
  const holds = allowed.filter(
    (r) => actor.roles.includes(r) && roleReachesStore(r, actor, order.storeId),
  );
  if (holds.length === 0) {
    const who = allowed.length ? allowed.join(" or ") : "nobody";
    return { ok: false, reason: `Only ${who} may do this at ${stage(order.stage).name}` };
  }
  if (!statesAllowed(action).includes(order.state)) {
    return { ok: false, reason: `This cannot be done while the order is ${order.state}` };
  }
  return { ok: true };
}

// --- Validation ----------------------------------------------------------------------------

export type FieldErrors = Record<string, string[]>;

/** Parses one field's raw value with its schema; errors are keyed `field` or `field.part`. */
export function parseField<K extends FieldKey>(key: K, raw: unknown) {
  const result = fieldSchemas[key].safeParse(raw);
  if (result.success) return { ok: true as const, value: result.data as FieldValues[K] };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const path = [key, ...issue.path.map(String)].join(".");
    (errors[path] ??= []).push(issue.message);
  }
  return { ok: false as const, errors };
}

/** Checks that need more than one field: the schedule against the delivery date. */
export function crossFieldErrors(values: FieldValues): FieldErrors {
  const errors: FieldErrors = {};
  const schedule = values.productionSchedule;
  const due = values.requiredDeliveryDate;
  if (schedule && due && schedule.end > due && !schedule.confirmed) {
    errors["productionSchedule.end"] = [
      `The end is after the Required Delivery Date (${due}): tick the confirmation to keep it`,
    ];
  }
  return errors;
}

/** Required fields of a stage that have no valid value yet. */
/**
 * The fields a stage needs before it completes. A not-feasible order goes on hold instead of to
 * production, so it needs no Production Schedule.
 */
export function requiredFields(stageKey: StageKey, values: FieldValues): FieldKey[] {
  const required = stage(stageKey).fields.filter((f) => f.required).map((f) => f.key);
  if (stageKey === "dispatchReceiving" && values.orderFeasibility?.decision === "notFeasible") {
    return required.filter((k) => k !== "productionSchedule");
  }
  return required;
}

export function missingRequiredFields(stageKey: StageKey, values: FieldValues): FieldKey[] {
  return requiredFields(stageKey, values).filter((k) => values[k] === undefined || !fieldSchemas[k].safeParse(values[k]).success);
}

export function openTodos(stageKey: StageKey, done: readonly string[]) {
  return stage(stageKey).todos.filter((t) => !done.includes(todoKey(stageKey, t.key)));
}

// --- Time ----------------------------------------------------------------------------------

export type SlaState = "onTrack" | "atRisk" | "overdue";
export const slaLabels: Record<SlaState, string> = { onTrack: "On track", atRisk: "At risk", overdue: "Overdue" };

export function dueAt(stageKey: StageKey, enteredAt: Date) {
  return new Date(enteredAt.getTime() + stage(stageKey).target.dueAfterMs);
}

export function riskAt(stageKey: StageKey, enteredAt: Date) {
  return new Date(enteredAt.getTime() + stage(stageKey).target.riskAfterMs);
}

export function slaState(stageKey: StageKey, enteredAt: Date, now = new Date()): SlaState {
  if (now.getTime() >= dueAt(stageKey, enteredAt).getTime()) return "overdue";
  if (now.getTime() >= riskAt(stageKey, enteredAt).getTime()) return "atRisk";
  return "onTrack";
}

/**
 * Will the order still make its Required Delivery Date (end of that day, UTC) if the current
 * stage ends at its due time (or now, if later) and every later stage takes its target?
 */
export function projectedDelivery(stageKey: StageKey, stageDueAt: Date, now = new Date()) {
  const later = stages.slice(stageKeys.indexOf(stageKey) + 1);
  const rest = later.reduce((sum, s) => sum + s.target.dueAfterMs, 0);
  return new Date(Math.max(now.getTime(), stageDueAt.getTime()) + rest);
}

export function deliveryAtRisk(stageKey: StageKey, stageDueAt: Date, requiredDeliveryDate: string | null, now = new Date()) {
  if (!requiredDeliveryDate) return false;
  const deadline = Date.parse(`${requiredDeliveryDate}T23:59:59.999Z`);
  return projectedDelivery(stageKey, stageDueAt, now).getTime() > deadline;
}

export const formatOrderNumber = (id: number) => `MO-${String(id).padStart(5, "0")}`;

/** Ids are int4 identities; a larger number in a query would fail instead of finding nothing. */
const MAX_ID = 2_147_483_647;

/** Accepts "MO-00042", "mo-42" or "42"; null when the text is no order number. */
export function parseOrderNumber(text: string): number | null {
  const m = /^\s*(?:mo-?)?0*(\d{1,10})\s*$/i.exec(text);
  const id = m ? Number(m[1]) : 0;
  return id >= 1 && id <= MAX_ID ? id : null;
}

export const idSchema = z.coerce.number().int().positive().max(MAX_ID);
