import type { Order } from "@/db/schema";
import { type Actor, type FieldKey, type Grant, type OrderAction, decide, grants, holdsGrant, mayReadStore, seesAllStores } from "@/lib/workflow";

/**
 * The one policy: every page, action, route and command asks here. It restates nothing: order
 * decisions and page grants both come from the workflow's permission table
 * (lib/workflow/permissions.ts). Pure, so commands use it without the session machinery;
 * `requireGrant` (session.ts) is its page-side form.
 */

type GrantChecks = { [G in Grant]: (actor: Actor) => boolean };
const grantChecks = Object.fromEntries((Object.keys(grants) as Grant[]).map((g) => [g, (actor: Actor) => holdsGrant(actor, g)])) as GrantChecks;

export const can = {
  order: (actor: Actor, action: OrderAction, order: Pick<Order, "storeId" | "stage" | "state">, field?: FieldKey) =>
    decide(actor, action, order, field).ok,
  readStore: (actor: Actor, storeId: number) => mayReadStore(actor, storeId),
  seeAllOrders: (actor: Actor) => seesAllStores(actor),
  ...grantChecks,
};

export type { Grant };
