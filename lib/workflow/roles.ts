/**
 * The six roles (SPEC.md) and their reach: a store-scoped role sees only its account's stores.
 * Role keys are named here and in the permission table beside it, nowhere else in the app.
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

/** The signed-in account as every rule sees it. */
export type Actor = {
  id: number;
  name: string;
  email: string;
  roles: RoleKey[];
  storeIds: number[];
  /** IANA time zone the account reads times in (UTC until one is known). */
  timeZone?: string;
};

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

/**
 * The zone an account reads an order's times in: its own, except that a store-scoped account (a
 * store manager) reads a store's stage clocks and due times in the store's zone.
 */
export function zoneFor(actor: Pick<Actor, "roles" | "timeZone">, storeZone?: string | null): string {
  if (storeZone && actor.roles.length > 0 && actor.roles.every(isStoreScoped)) return storeZone;
  return actor.timeZone ?? "UTC";
}
