import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { eq } from "drizzle-orm";
import type { Connection } from "@/db/client";
import { boardColumns, listOrders, listStores } from "@/db/queries/orders";
import { orderListSchema } from "@/lib/orders/filters";
import { type Order, orders, stores } from "@/db/schema";
import { demoAccounts, demoActor, seedDemo } from "@/lib/demo/seed";
import { driveOrder } from "@/lib/demo/orders";
import { cancelOrder, completeStage, recordInspection, saveFields } from "@/lib/orders/commands";
import { type Actor, type StageKey, formatOrderNumber, stageKeys, stages } from "@/lib/workflow";
import { testDatabase } from "./database";

/**
 * The demo seed (11 orders: North in every stage, two in production; South in stages 1–4 and one
 * completed), plus a South order put on hold and a North order cancelled, seen through each
 * demo account's queue and "all orders" list.
 */

let conn: Connection;
let all: Order[];
let north: number;
let south: number;
const actors = new Map<string, Actor>();

beforeAll(async () => {
  conn = await testDatabase();
  const db = conn.db;
  // The live demo orders only; the bulk KPI history is all completed and not what this is about.
  await seedDemo(db, { historyOrders: 0 });

  const held = await driveOrder(db, { storeCode: "south", to: "dispatchReceiving", specifications: "Neon sign shaped like a cactus, 2 m tall" });
  const dispatch = await demoActor(db, "dispatch@example.com");
  const saved = await saveFields(
    { db, actor: dispatch },
    {
      orderId: held.id,
      version: held.version,
      values: {
        orderFeasibility: { decision: "notFeasible", reason: "No neon supplier this season" },
        productionSchedule: { start: "2030-01-01", end: "2030-01-02", confirmed: true },
      },
    },
  );
  if (!saved.ok) throw new Error(JSON.stringify(saved));
  const onHold = await completeStage({ db, actor: dispatch }, { orderId: held.id, version: saved.order.version, confirmOpenTodos: true });
  if (!onHold.ok || onHold.order.state !== "onHold") throw new Error(JSON.stringify(onHold));

  const dropped = await driveOrder(db, { storeCode: "north", to: "storeOrder", specifications: "Chalkboard easel, double sided, A1" });
  const cancelled = await cancelOrder({ db, actor: await demoActor(db, "store.north@example.com") }, { orderId: dropped.id, version: dropped.version, reason: "Ordered twice" });
  if (!cancelled.ok) throw new Error(JSON.stringify(cancelled));

  all = await db.select().from(orders);
  [{ id: north }] = await db.select({ id: stores.id }).from(stores).where(eq(stores.code, "north"));
  [{ id: south }] = await db.select({ id: stores.id }).from(stores).where(eq(stores.code, "south"));
  for (const a of demoAccounts) actors.set(a.email, await demoActor(db, a.email));
});
afterAll(() => conn.close());

const as = (email: string) => actors.get(email)!;
const list = async (email: string, query: Record<string, string> = {}) => {
  const { rows, total, more, next, previous } = await listOrders(conn.db, as(email), orderListSchema.parse(query));
  // A handful of orders: one page, counted exactly.
  expect({ total, more, next, previous }).toEqual({ total: rows.length, more: false, next: null, previous: null });
  return rows;
};
const ids = (rows: { id: number }[]) => rows.map((r) => r.id).sort((a, b) => a - b);
const idsWhere = (keep: (o: Order) => boolean) => ids(all.filter(keep));

test("the data set: 13 orders, in each state, in both stores", () => {
  const count = (keep: (o: Order) => boolean) => all.filter(keep).length;
  expect(all).toHaveLength(13);
  expect(count((o) => o.storeId === north)).toBe(7);
  expect(count((o) => o.storeId === south)).toBe(6);
  expect(count((o) => o.state === "active")).toBe(10);
  expect(count((o) => o.state === "onHold")).toBe(1);
  expect(count((o) => o.state === "completed")).toBe(1);
  expect(count((o) => o.state === "cancelled")).toBe(1);
});

/** From the definition: the stages a role owns or works. */
const stagesOf = (role: string): StageKey[] => stages.filter((s) => s.owner === role || s.workers.some((w) => w === role)).map((s) => s.key);

describe("each account's queue", () => {
  test.each([
    ["store.north@example.com", 2],
    ["store.south@example.com", 2],
    ["dispatch@example.com", 7],
    ["production@example.com", 5],
    ["qc@example.com", 3],
    ["ops@example.com", 11],
    ["admin@example.com", 11],
  ])("%s has %i orders", async (email, expected) => {
    expect(await list(email)).toHaveLength(expected);
  });

  test("store managers: their own store's active orders in stages 1 and 5, and their orders on hold", async () => {
    for (const [email, store] of [["store.north@example.com", north], ["store.south@example.com", south]] as const) {
      const own = stagesOf("storeManager");
      expect(own).toEqual(["storeOrder", "storeReceived"]);
      const expected = idsWhere((o) => o.storeId === store && ((o.state === "active" && own.includes(o.stage)) || o.state === "onHold"));
      expect(ids(await list(email))).toEqual(expected);
    }
  });

  test("dispatch: exactly the active orders in the stages dispatch owns or works", async () => {
    expect(stagesOf("dispatchTeam")).toEqual(["storeOrder", "dispatchReceiving", "dispatching", "storeReceived"]);
    const rows = await list("dispatch@example.com");
    expect(ids(rows)).toEqual(idsWhere((o) => o.state === "active" && stagesOf("dispatchTeam").includes(o.stage)));
    expect(new Set(rows.map((r) => r.stage))).toEqual(new Set(["storeOrder", "dispatchReceiving", "dispatching", "storeReceived"]));
    expect(rows.some((r) => r.storeId === north) && rows.some((r) => r.storeId === south)).toBe(true);
  });

  test("production: Receiving by Dispatch and In Production", async () => {
    expect(stagesOf("productionTeam")).toEqual(["dispatchReceiving", "inProduction"]);
    expect(ids(await list("production@example.com"))).toEqual(idsWhere((o) => o.state === "active" && stagesOf("productionTeam").includes(o.stage)));
  });

  test("quality control: In Production", async () => {
    expect(stagesOf("qualityControl")).toEqual(["inProduction"]);
    const rows = await list("qc@example.com");
    expect(rows.every((r) => r.stage === "inProduction" && r.state === "active")).toBe(true);
    expect(ids(rows)).toEqual(idsWhere((o) => o.state === "active" && o.stage === "inProduction"));
  });

  test("ops and admin: every active or held order, in both stores", async () => {
    for (const email of ["ops@example.com", "admin@example.com"]) {
      expect(ids(await list(email))).toEqual(idsWhere((o) => o.state === "active" || o.state === "onHold"));
    }
  });

  test("the queue is sorted by due time and carries what the page shows", async () => {
    const rows = await list("ops@example.com");
    const due = rows.map((r) => r.stageDueAt.getTime());
    expect(due).toEqual([...due].sort((a, b) => a - b));
    for (const r of rows) {
      expect(r.productSummary.length).toBeGreaterThan(0);
      expect(r.storeName).toMatch(/^(North|South)$/);
      expect(r.stageEnteredAt).toBeInstanceOf(Date);
    }
  });
});

describe("all orders", () => {
  test("each store manager sees every order of their store and none other", async () => {
    expect(ids(await list("store.north@example.com", { view: "all", state: "any" }))).toEqual(idsWhere((o) => o.storeId === north));
    expect(ids(await list("store.south@example.com", { view: "all", state: "any" }))).toEqual(idsWhere((o) => o.storeId === south));
    expect(await list("store.north@example.com", { view: "all", state: "any" })).toHaveLength(7);
    expect(await list("store.south@example.com", { view: "all", state: "any" })).toHaveLength(6);
  });

  test.each(["dispatch@example.com", "production@example.com", "qc@example.com", "ops@example.com", "admin@example.com"])(
    "%s sees all 13 orders",
    async (email) => {
      expect(ids(await list(email, { view: "all", state: "any" }))).toEqual(ids(all));
    },
  );

  test("opens on the open orders, newest first (SPEC: the default view opens on open orders)", async () => {
    const opened = await list("ops@example.com", { view: "all" });
    const open = all.filter((o) => o.state === "active" || o.state === "onHold").map((o) => o.id).sort((a, b) => b - a);
    expect(opened.map((o) => o.id)).toEqual(open);
    expect(open.length).toBeLessThan(all.length);
  });

  test("a search there finds an order in any state", async () => {
    const done = all.find((o) => o.state === "completed")!;
    expect(ids(await list("ops@example.com", { view: "all", q: formatOrderNumber(done.id) }))).toEqual([done.id]);
  });
});

describe("a store manager never sees another store's order", () => {
  const southOrders = () => all.filter((o) => o.storeId === south);

  test.each(["queue", "all"])("not with the South store filter (%s)", async (view) => {
    expect(await list("store.north@example.com", { view, store: String(south) })).toEqual([]);
    expect(ids(await list("store.north@example.com", { view, store: String(north) }))).toEqual(ids(await list("store.north@example.com", { view })));
  });

  test("not by searching a South order's number or text", async () => {
    for (const o of southOrders()) {
      for (const view of ["queue", "all"]) {
        for (const q of [formatOrderNumber(o.id), String(o.id), o.productSummary.slice(0, 12)]) {
          // A number may match North text ("Set of 12 …"); it never returns the South order.
          const rows = await list("store.north@example.com", { view, q });
          expect(rows.filter((r) => r.storeId !== north), `${view} ${q}`).toEqual([]);
        }
      }
    }
    // The same searches do find them for South.
    const first = southOrders()[0];
    expect(ids(await list("store.south@example.com", { view: "all", q: formatOrderNumber(first.id) }))).toEqual([first.id]);
  });

  test.each(["onHold", "completed"])("not by filtering on a state only South has (%s)", async (state) => {
    expect(await list("store.north@example.com", { view: "all", state })).toEqual([]);
    expect(await list("store.south@example.com", { view: "all", state })).toHaveLength(1);
  });

  test("not on the board or in the store list", async () => {
    const board = (await boardColumns(conn.db, as("store.north@example.com"), {})).flatMap((c) => c.cards);
    expect(board.map((r) => r.storeName)).toEqual(Array(6).fill("North"));
    const southBoard = await boardColumns(conn.db, as("store.north@example.com"), { store: south });
    expect(southBoard.flatMap((c) => c.cards)).toEqual([]);
    expect(southBoard.map((c) => c.total)).toEqual([0, 0, 0, 0, 0, 0]);
    expect((await listStores(conn.db, as("store.north@example.com"))).map((s) => s.name)).toEqual(["North"]);
    expect((await listStores(conn.db, as("dispatch@example.com"))).map((s) => s.name)).toEqual(["North", "South"]);
  });

  test("a store manager without a store sees nothing", async () => {
    const orphan: Actor = { ...as("store.north@example.com"), storeIds: [] };
    for (const view of ["queue", "all"] as const) {
      expect((await listOrders(conn.db, orphan, orderListSchema.parse({ view }))).rows).toEqual([]);
    }
  });
});

test("numbers too large for an order id are searched as text, not an error", async () => {
  expect(await list("ops@example.com", { view: "all", q: "99999999999" })).toEqual([]);
  expect(await list("ops@example.com", { view: "all", state: "any", store: "99999999999" })).toHaveLength(13);
});

describe("the board", () => {
  test("a column per stage and one for held orders, each with its count; held orders shown", async () => {
    const columns = await boardColumns(conn.db, as("ops@example.com"), {});
    expect(columns.map((c) => c.key)).toEqual([...stageKeys, "onHold"]);
    expect(columns.find((c) => c.key === "onHold")!.cards.map((c) => c.productSummary)).toEqual(["Neon sign shaped like a cactus, 2 m tall"]);
    const activeOrders = all.filter((o) => o.state === "active");
    for (const c of columns.filter((c) => c.key !== "onHold")) expect(c.total, c.key).toBe(activeOrders.filter((o) => o.stage === c.key).length);
  });

  test("mine: only the stages the account owns; overdue: only overdue orders", async () => {
    const mine = await boardColumns(conn.db, as("dispatch@example.com"), { mine: "1" });
    const nonEmpty = mine.filter((c) => c.total > 0).map((c) => c.key);
    expect(nonEmpty.every((k) => k === "dispatchReceiving" || k === "dispatching")).toBe(true);
    const overdue = (await boardColumns(conn.db, as("ops@example.com"), { sla: "overdue" })).flatMap((c) => c.cards);
    expect(overdue.every((c) => c.stageDueAt.getTime() <= Date.now())).toBe(true);
  });
});

test("awaiting inspection: in production, no inspection since the last production update, oldest first", async () => {
  const qc = as("qc@example.com");
  const waiting = (await listOrders(conn.db, qc, orderListSchema.parse({ view: "inspect" }))).rows;
  // driveOrder records a passing inspection only on the way out of production: every order in production waits.
  expect(waiting.map((r) => r.stage).every((s) => s === "inProduction")).toBe(true);
  expect(waiting.length).toBe(all.filter((o) => o.state === "active" && o.stage === "inProduction").length);
  const first = waiting[0];
  const [o] = await conn.db.select().from(orders).where(eq(orders.id, first.id));
  const inspected = await recordInspection({ db: conn.db, actor: qc }, { orderId: o.id, version: o.version, qualityCheckResults: { result: "pass", notes: "" } });
  expect(inspected.ok).toBe(true);
  const after = (await listOrders(conn.db, qc, orderListSchema.parse({ view: "inspect" }))).rows.map((r) => r.id);
  expect(after).not.toContain(first.id);
  // Production updates it again: it waits for an inspection again.
  const [o2] = await conn.db.select().from(orders).where(eq(orders.id, first.id));
  const updated = await saveFields({ db: conn.db, actor: as("production@example.com") }, { orderId: o2.id, version: o2.version, values: { completionPercentage: "60" } });
  expect(updated.ok).toBe(true);
  expect((await listOrders(conn.db, qc, orderListSchema.parse({ view: "inspect" }))).rows.map((r) => r.id)).toContain(first.id);
  // Nobody but the inspecting role has this view.
  expect((await listOrders(conn.db, as("dispatch@example.com"), orderListSchema.parse({ view: "inspect" }))).rows).toEqual([]);
});
