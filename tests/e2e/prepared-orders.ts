import type { StageKey } from "@/lib/workflow";

export type OrderRef = { id: number; number: string; path: string };

export type PreparedOrder = {
  store: "north" | "south";
  /** The stage the order is active in when the suite starts. */
  stage: StageKey;
  specifications: string;
  /** Dispatch then marks it not feasible with this reason, which puts it on hold and alerts its store. */
  notFeasible?: string;
  /** Quality control then records this inspection (in production). */
  inspection?: { result: "pass" | "fail"; notes: string };
};

/**
 * Accounts of their own for the journeys that sign out, deactivate or change an account: a
 * sign-out ends every session of its account, so these never touch the demo accounts the other
 * specs are signed in as. All have PREPARED_PASSWORD.
 */
export const PREPARED_PASSWORD = "e2e journeys password";
export const preparedAccounts = {
  signOutRuns: { name: "Sid Signout", email: "sid.signout@example.com", roles: ["productionTeam"] },
  copiedAfterSignOut: { name: "Cora Copied", email: "cora.copied@example.com", roles: ["productionTeam"] },
  copiedAfterEverywhere: { name: "Evan Everywhere", email: "evan.everywhere@example.com", roles: ["productionTeam"] },
  copiedAfterRoleChange: { name: "Rhea Role", email: "rhea.role@example.com", roles: ["qualityControl"] },
  copiedAfterDeactivation: { name: "Dale Deactivated", email: "dale.deactivated@example.com", roles: ["qualityControl"] },
} as const;

/**
 * The orders the journeys start from, by spec, each spec with its own. tests/e2e/prepare-db.ts
 * makes them before `next start`, through the real commands; a spec reads them as `orders`.
 */
export const preparedOrders = {
  forbidden: {
    otherStore: { store: "north", stage: "storeOrder", specifications: "E2E forbidden: oak shelving, 120 × 40 cm, for the North store only" },
    dispatchOwnsReceiving: { store: "north", stage: "dispatchReceiving", specifications: "E2E forbidden: oak shelving, 120 × 40 cm, dispatch decides" },
    qcReadsProduction: { store: "north", stage: "inProduction", specifications: "E2E forbidden: oak shelving, 120 × 40 cm, production reports" },
    staleForm: { store: "north", stage: "dispatchReceiving", specifications: "E2E forbidden: oak shelving, 120 × 40 cm, changed meanwhile" },
  },
  notFeasible: {
    marbleSlab: { store: "north", stage: "dispatchReceiving", specifications: "Marble counter top, 3 m single slab, polished edge" },
  },
  stageWork: {
    failedInspection: {
      store: "north",
      stage: "inProduction",
      specifications: "E2E stage work: walnut bar stools, set of 8, failed first inspection",
      inspection: { result: "fail", notes: "Legs uneven on three stools" },
    },
    typeThenTick: { store: "north", stage: "dispatchReceiving", specifications: "E2E stage work: brass door handles, 40 pairs, typed then ticked" },
  },
  conversation: {
    heldOak: {
      store: "north",
      stage: "dispatchReceiving",
      specifications: "E2E conversation: oak conference table, 40 seats, in one piece",
      notFeasible: "The workshop makes at most 20 seats a month",
    },
  },
  files: {
    drawing: { store: "north", stage: "storeOrder", specifications: "E2E files: steel staircase, 14 steps, from the architect's 50 MB drawing" },
    progress: { store: "north", stage: "storeOrder", specifications: "E2E files: glass partition, 6 panels, photos sent on a slow line" },
    refused: { store: "north", stage: "storeOrder", specifications: "E2E files: cedar cladding, 40 m², with files that are refused" },
  },
  pages: {
    inProduction: { store: "north", stage: "inProduction", specifications: "E2E pages: custom window sign, 2 × 0.6 m, backlit, warm white LEDs" },
    onHold: {
      store: "north",
      stage: "dispatchReceiving",
      specifications: "E2E pages: granite plinth, 2 t, single block",
      notFeasible: "No crane for 2 t blocks at the workshop",
    },
  },
} as const satisfies Record<string, Record<string, PreparedOrder>>;

/** The Playwright projects (playwright.config.ts): the journeys run at both widths, each on orders of its own. */
export const projects = ["desktop", "phone"] as const;
export type ProjectName = (typeof projects)[number];

export type PreparedOrders = { [Spec in keyof typeof preparedOrders]: { [Name in keyof (typeof preparedOrders)[Spec]]: OrderRef } };
