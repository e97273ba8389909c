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
  /** Values typed in earlier stages instead of the demo's (lib/demo/orders.ts). */
  values?: Partial<Record<StageKey, Record<string, unknown>>>;
  quantity?: number;
  /** A Production Schedule of the project's own (so the two widths never share a day's load). */
  schedule?: (project: ProjectName) => { start: string; end: string };
};

/** A part number and an address as people paste them: far wider than a phone, with no space to break at. */
export const LONG_PART = "PN-4471-ALU-ANODISED-BRACKET-M8X1.25-HEX-SOCKET-DIN912-A2-70-BATCH2026W48-REV-C";
/** A tracking number as long as the field takes (64 characters). */
export const LONG_TRACKING = "1Z999AA10123456784-DE-BER-HUB-0042-PARCEL-0001-OF-0003-2026W48X";
export const LONG_URL = "https://supplier.example.com/catalogue/brackets/aluminium/anodised/m8x1.25/hex-socket/din912-a2-70/datasheet-rev-c.pdf";

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
  // sign-in-attacks.spec.ts
  revokedOnAuthEndpoints: { name: "Rory Revoked", email: "rory.revoked@example.com", roles: ["productionTeam"] },
  redirectedAfterSignIn: { name: "Oona Origin", email: "oona.origin@example.com", roles: ["productionTeam"] },
  attackedAdmin: { name: "Abe Attacked", email: "abe.attacked@example.com", roles: ["admin"] },
  signedOutTyping: { name: "Tia Typist", email: "tia.typist@example.com", roles: ["productionTeam"] },
  askedFirst: { name: "Abe Askfirst", email: "abe.askfirst@example.com", roles: ["qualityControl"] },
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
  qualityByReason: {
    failedForFinish: { store: "north", stage: "inProduction", specifications: "E2E quality by reason: lacquered walnut side table, satin finish" },
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
  forms: {
    withoutJs: { store: "north", stage: "dispatchReceiving", specifications: "E2E forms: teak garden bench, 1.8 m, worked without JavaScript" },
    colleagueMeanwhile: { store: "north", stage: "dispatchReceiving", specifications: "E2E forms: teak garden bench, 1.6 m, a colleague saves meanwhile" },
    shippedWithoutJs: { store: "north", stage: "dispatching", specifications: "E2E forms: teak garden bench, 2 m, shipped without JavaScript" },
    pendingNames: { store: "north", stage: "dispatchReceiving", specifications: "E2E forms: teak side table, the pending button says what it does" },
    assignee: { store: "north", stage: "dispatchReceiving", specifications: "E2E forms: teak side table, assigned and let go" },
    assigneeWithoutJs: { store: "north", stage: "dispatchReceiving", specifications: "E2E forms: teak side table, claimed and ticked without JavaScript" },
    signedOut: { store: "north", stage: "dispatchReceiving", specifications: "E2E forms: teak side table, typed while signed out elsewhere" },
    beforeHydration: { store: "north", stage: "dispatchReceiving", specifications: "E2E forms: teak side table, typed before the page's script ran" },
  },
  conversation: {
    heldOak: {
      store: "north",
      stage: "dispatchReceiving",
      specifications: "E2E conversation: oak conference table, 40 seats, in one piece",
      notFeasible: "The workshop makes at most 20 seats a month",
    },
  },
  deliveryProblems: {
    damagedShelf: { store: "north", stage: "storeReceived", specifications: "E2E delivery: oak wall shelf, 120 × 25 cm, two brackets" },
    reworkStools: {
      store: "north",
      stage: "inProduction",
      specifications: "E2E delivery: ash bar stools, set of 4, failed inspection",
      inspection: { result: "fail", notes: "Seat height differs by 1 cm" },
    },
  },
  layout: {
    // Dispatch types a long tracking number, and the store manager is told it is shipped.
    shipping: { store: "north", stage: "dispatching", specifications: `E2E layout: wall brackets, part ${LONG_PART}` },
    // Held with long words: the store manager's inbox gets a high-priority alert about it.
    heldLongWords: {
      store: "north",
      stage: "dispatchReceiving",
      specifications: `E2E layout: bracket ${LONG_PART}, drawing ${LONG_URL}`,
      notFeasible: `No tooling for ${LONG_PART}`,
    },
    mention: { store: "north", stage: "inProduction", specifications: "E2E layout: oak lectern, engraved front panel" },
  },
  files: {
    drawing: { store: "north", stage: "storeOrder", specifications: "E2E files: steel staircase, 14 steps, from the architect's 50 MB drawing" },
    progress: { store: "north", stage: "storeOrder", specifications: "E2E files: glass partition, 6 panels, photos sent on a slow line" },
    refused: { store: "north", stage: "storeOrder", specifications: "E2E files: cedar cladding, 40 m², with files that are refused" },
  },
  live: {
    // South: fewer orders than North, so its board's columns show every card (20 a column).
    boardMove: { store: "south", stage: "storeOrder", specifications: "E2E live: maple workbench, 2 m, watched on the board" },
    colleagueSaves: { store: "north", stage: "dispatchReceiving", specifications: "E2E live: maple workbench, 1.5 m, two people on one order" },
  },
  // capacity.spec.ts: the shop makes CAPACITY_PER_DAY units a day (prepare-db.ts); `full` fills a
  // week of its own per width, `toPlan` is scheduled onto it, `notFeasible` is refused.
  capacity: {
    full: { store: "north", stage: "inProduction", quantity: 5 * 1000, specifications: "E2E capacity: a week of laminated beams, all the shop makes", schedule: (p) => fullWeek(p) },
    toPlan: { store: "north", stage: "dispatchReceiving", quantity: 600, specifications: "E2E capacity: 600 pine battens, scheduled onto the full week" },
    notFeasible: { store: "north", stage: "dispatchReceiving", quantity: 800, specifications: "E2E capacity: 800 oak dowels, refused and proposed again" },
  },
  clocks: {
    scheduled: { store: "north", stage: "dispatchReceiving", specifications: "E2E clocks: cedar planters, 12 pieces, scheduled by dispatch" },
  },
  handOffs: {
    qcFails: { store: "north", stage: "inProduction", specifications: "E2E hand-offs: teak planters, 12, QC finds a flaw" },
    reworkDone: {
      store: "north",
      stage: "inProduction",
      specifications: "E2E hand-offs: lacquered shelf unit, reworked after a failed inspection",
      inspection: { result: "fail", notes: "Drips in the lacquer on the top shelf" },
    },
    byCourier: { store: "north", stage: "dispatching", specifications: "E2E hand-offs: acrylic shop-window letters, shipped by courier" },
  },
  pages: {
    inProduction: { store: "north", stage: "inProduction", specifications: "E2E pages: custom window sign, 2 × 0.6 m, backlit, warm white LEDs" },
    // Long unbroken words in everything the order shows: specifications, reason, history, alerts.
    longWords: {
      store: "north",
      stage: "dispatchReceiving",
      specifications: `E2E pages: bracket ${LONG_PART}, drawing ${LONG_URL}`,
      notFeasible: `No tooling for ${LONG_PART}; see ${LONG_URL}`,
    },
    received: {
      store: "north",
      stage: "storeReceived",
      specifications: `E2E pages: shelf ${LONG_PART}`,
      values: { dispatchReceiving: { specialRequirements: `Label every box ${LONG_PART}` }, dispatching: { trackingNumber: LONG_TRACKING } },
    },
    onHold: {
      store: "north",
      stage: "dispatchReceiving",
      specifications: "E2E pages: granite plinth, 2 t, single block",
      notFeasible: "No crane for 2 t blocks at the workshop",
    },
  },
  floor: {
    traveller: {
      store: "north",
      stage: "inProduction",
      specifications: "E2E floor: oak workbench, 2.4 m, vice at the left end, printed as a traveller",
      inspection: { result: "pass", notes: "Top flat within 0.5 mm" },
      values: { dispatchReceiving: { specialRequirements: "Oil finish, no lacquer" } },
    },
    batchOne: { store: "north", stage: "dispatchReceiving", specifications: "E2E floor: beech stools, 6, printed in a batch" },
    batchTwo: { store: "north", stage: "dispatchReceiving", specifications: "E2E floor: beech benches, 2, printed in a batch" },
    keyboard: { store: "north", stage: "dispatchReceiving", specifications: "E2E floor: walnut desk, reached from the queue without a mouse" },
    phone: { store: "north", stage: "dispatchReceiving", specifications: "E2E floor: ash shelving, worked on a phone" },
  },
} as const satisfies Record<string, Record<string, PreparedOrder>>;

/** The shop's capacity in the journeys (prepare-db.ts sets it from today): far above what any other journey plans in a day. */
export const CAPACITY_PER_DAY = 1000;

/** Monday to Friday of the week 5 (desktop) or 6 (phone) weeks ahead, in UTC: within the capacity view's 8 weeks. */
export function fullWeek(project: ProjectName, now = new Date()) {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const monday = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - ((now.getUTCDay() + 6) % 7) + 7 * (project === "desktop" ? 5 : 6)));
  return { start: day(monday), end: day(new Date(monday.getTime() + 4 * 86_400_000)) };
}

/** The Playwright projects (playwright.config.ts): the journeys run at both widths, each on orders of its own. */
export const projects = ["desktop", "phone"] as const;
export type ProjectName = (typeof projects)[number];

export type PreparedOrders = { [Spec in keyof typeof preparedOrders]: { [Name in keyof (typeof preparedOrders)[Spec]]: OrderRef } };
