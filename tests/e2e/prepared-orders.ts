import type { StageKey } from "@/lib/workflow";

export type OrderRef = { id: number; number: string; path: string };

export type PreparedOrder = {
  store: "north" | "south";
  /** The stage the order is active in when the suite starts. */
  stage: StageKey;
  specifications: string;
  /** Dispatch then marks it not feasible with this reason, which puts it on hold and alerts its store. */
  notFeasible?: string;
};

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

export type PreparedOrders = { [Spec in keyof typeof preparedOrders]: { [Name in keyof (typeof preparedOrders)[Spec]]: OrderRef } };
