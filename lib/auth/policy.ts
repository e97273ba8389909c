import { notFound } from "next/navigation";
import type { Order } from "@/db/schema";
import { type Actor, type FieldKey, type OrderAction, type RoleKey, decide, mayReadStore, seesAllStores } from "@/lib/workflow";
import { requireActor } from "./session";

/**
 * The one policy: every page, action and route asks here. Order decisions come from the
 * workflow's permission table (lib/workflow/rules.ts); the rest are the role grants below.
 */

export const can = {
  order: (actor: Actor, action: OrderAction, order: Pick<Order, "storeId" | "stage" | "state">, field?: FieldKey) =>
    decide(actor, action, order, field).ok,
  readStore: (actor: Actor, storeId: number) => mayReadStore(actor, storeId),
  seeAllOrders: (actor: Actor) => seesAllStores(actor),
  createOrders: (actor: Actor) => actor.roles.includes("storeManager") && actor.storeIds.length > 0,
  viewKpi: (actor: Actor) => hasAny(actor, ["ops", "admin", "storeManager"]),
  viewAutomationLog: (actor: Actor) => hasAny(actor, ["ops", "admin"]),
  viewRules: (actor: Actor) => hasAny(actor, ["ops", "admin"]),
  manageRules: (actor: Actor) => hasAny(actor, ["admin"]),
};

export type Grant = { [K in keyof typeof can]: (typeof can)[K] extends (actor: Actor) => boolean ? K : never }[keyof typeof can];

function hasAny(actor: Actor, roles: RoleKey[]) {
  return actor.roles.some((r) => roles.includes(r));
}

/** For pages: the actor when the grant holds; a not-found page otherwise. */
export async function requireGrant(grant: Grant): Promise<Actor> {
  const actor = await requireActor();
  if (!(can[grant] as (a: Actor) => boolean)(actor)) notFound();
  return actor;
}
