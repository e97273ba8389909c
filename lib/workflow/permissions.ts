import { type Actor, type RoleKey, mayReadStore, roleReachesStore, roles } from "./roles";
import { type OrderState, type StageKey, stage, stageKeys, stageParticipants, stages } from "./stages";
import type { FieldKey } from "./fields";

/**
 * The permission table, as data: who may take each action on an order in each stage (derived
 * from the stages' owners and workers), and which roles hold each page grant. The policy
 * (lib/auth/policy.ts) answers from here; tests/authorization-matrix.test.ts checks it
 * exhaustively through the real commands.
 */

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
  "comment",
  "claim",
  "assign",
  "proposeAlternative",
  "acceptProposal",
  "markReadyForReinspection",
  "requestReplacement",
] as const;
export type OrderAction = (typeof orderActions)[number];

/** Grants that are not about one order: pages and settings, role by role. */
export const grants = {
  createOrders: ["storeManager"],
  viewKpi: ["ops", "admin", "storeManager"],
  viewAutomationLog: ["ops", "admin"],
  viewRules: ["ops", "admin"],
  manageRules: ["admin"],
  manageAccounts: ["admin"],
  manageStores: ["admin"],
  /** The fail reasons a failed inspection names (decision 029). */
  manageFailReasons: ["admin"],
  viewAudit: ["admin"],
  /** The capacity view (decision 027): those who plan production and watch it. */
  viewCapacity: ["dispatchTeam", "ops", "admin"],
  /** The shop's production capacity and its dated changes. */
  manageCapacity: ["admin"],
  /** API keys and webhook endpoints (decision 019). */
  manageApiKeys: ["admin"],
  manageWebhooks: ["admin"],
  /** The development mailbox shows an account only its own emails, unless it holds this. */
  readAllMail: ["admin"],
} as const satisfies Record<string, readonly RoleKey[]>;
export type Grant = keyof typeof grants;

/** Does a set of roles make an account an administrator (one who manages accounts)? */
export const isAdministrator = (accountRoles: readonly RoleKey[]) => accountRoles.some((r) => (grants.manageAccounts as readonly RoleKey[]).includes(r));

/**
 * Does the account hold the grant? A store-scoped role holds it only with at least one store:
 * a store manager without a store has no store to order for or to report on.
 */
export function holdsGrant(actor: Pick<Actor, "roles" | "storeIds">, grant: Grant): boolean {
  const granted: readonly RoleKey[] = grants[grant];
  return actor.roles.some((r) => granted.includes(r) && (roles.find((d) => d.key === r)?.scope !== "store" || actor.storeIds.length > 0));
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
      if (def) return def.editors ?? stageParticipants(stageKey);
      // The plan of this stage, entered in an earlier one, stays with the people who planned it.
      const plan = stages.flatMap((x) => x.fields.map((f) => ({ f, at: x.key }))).find(({ f }) => f.key === field && f.plans === stageKey);
      return plan ? (plan.f.editors ?? stageParticipants(plan.at)) : [];
    }
    case "toggleTodo":
      return stageParticipants(stageKey);
    case "recordInspection": {
      const recorded = s.fields.find((f) => f.recordedAs === "inspection");
      return recorded ? rolesAllowed("editField", stageKey, recorded.key) : [];
    }
    case "addAttachment":
      return s.attachments ? stageParticipants(stageKey) : [];
    case "completeStage":
      return [s.owner];
    // The store that ordered decides what happens to an order it cannot have as asked
    // (decision 009): it revises a held order; it or an administrator cancels.
    case "reviseOrder":
      return [stage("storeOrder").owner];
    case "cancelOrder":
      return [stage("storeOrder").owner, "admin"];
    // Everyone who takes part in orders talks about them; operations only reads.
    case "comment":
      return roles.map((r) => r.key).filter((r) => r !== "ops");
    // A person with a role that works the stage takes it on; its owner hands it to one.
    case "claim":
      return stageParticipants(stageKey);
    case "assign":
      return [s.owner];
    // Dispatch, who found the order not feasible, offers what it can do; the store decides.
    case "proposeAlternative":
      return stageKey === "dispatchReceiving" ? [s.owner] : [];
    case "acceptProposal":
      return rolesAllowed("reviseOrder", stageKey);
    // After rework on a failed inspection, the stage's owner tells quality control it can look again.
    case "markReadyForReinspection":
      return s.fields.some((f) => f.recordedAs === "inspection") ? [s.owner] : [];
    // The store that received goods gone wrong asks for them again (SPEC: When a delivery goes wrong).
    case "requestReplacement":
      return s.marks === "received" ? [s.owner] : [];
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
    case "comment":
      return ["active", "onHold", "completed", "cancelled"];
    case "proposeAlternative":
    case "acceptProposal":
      return ["onHold"];
    case "requestReplacement":
      return ["completed"];
    default:
      return ["active"];
  }
}

/** What the rules need to know of an order. */
export type OrderFacts = {
  storeId: number;
  stage: StageKey;
  state: OrderState;
};

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
  const holds = allowed.filter((r) => actor.roles.includes(r) && roleReachesStore(r, actor, order.storeId));
  if (holds.length === 0) {
    const who = allowed.length ? allowed.join(" or ") : "nobody";
    return { ok: false, reason: `Only ${who} may do this at ${stage(order.stage).name}` };
  }
  if (!statesAllowed(action).includes(order.state)) {
    return { ok: false, reason: `This cannot be done while the order is ${order.state}` };
  }
  return { ok: true };
}

/**
 * May this account work the order's current stage (be assigned it, or claim it): one of its roles
 * is the stage's owner or a worker and reaches the order's store.
 */
export function mayWorkStage(account: Pick<Actor, "roles" | "storeIds">, order: Pick<OrderFacts, "stage" | "storeId">): boolean {
  return stageParticipants(order.stage).some((r) => account.roles.includes(r) && roleReachesStore(r, account, order.storeId));
}

// --- Queues --------------------------------------------------------------------------------

/** Stages whose queue an account works: those where one of its roles is owner or worker. */
export function queueStages(actor: Pick<Actor, "roles">): StageKey[] {
  return stageKeys.filter((k) => stageParticipants(k).some((r) => actor.roles.includes(r)));
}

/** What an account's queue holds, derived from the table above. */
export type QueueScope = {
  /** Roles that work no stage (they oversee) see every open order, active or on hold. */
  allOpen: boolean;
  /** Active orders in these stages. */
  stages: StageKey[];
  /** Held orders too: the roles that may revise them. */
  held: boolean;
};

export function queueScope(actor: Pick<Actor, "roles">): QueueScope {
  const works = (r: RoleKey) => stageKeys.some((k) => stageParticipants(k).includes(r));
  const revises = rolesAllowed("reviseOrder", "storeOrder");
  return {
    allOpen: actor.roles.some((r) => !works(r)),
    stages: queueStages(actor),
    held: actor.roles.some((r) => revises.includes(r)),
  };
}

/** Stages whose owner role the account holds: "mine" on the queue and the board. */
export function ownedStages(actor: Pick<Actor, "roles">): StageKey[] {
  return stageKeys.filter((k) => actor.roles.includes(stage(k).owner));
}

/** Stages in which the account records inspections: its "awaiting inspection" view. */
export function inspectionStages(actor: Pick<Actor, "roles">): StageKey[] {
  return stageKeys.filter((k) => rolesAllowed("recordInspection", k).some((r) => actor.roles.includes(r)));
}
