import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sql } from "drizzle-orm";
import { type Connection, rowsOf } from "@/db/client";
import { orderCounts, stores } from "@/db/schema";
import { boardColumns, listConditions, listOrders } from "@/db/queries/orders";
import { boardSchema, orderListSchema } from "@/lib/orders/filters";
import { listAllStores } from "@/db/queries/stores";
import { exactKpiReport } from "@/lib/kpi/exact";
import { parseKpiFilter } from "@/lib/kpi/filters";
import { OVERDUE_COUNTED_UP_TO, kpiReport } from "@/lib/kpi/queries";
import { cancelOrder, completeStage, createOrder, reviseOrder, saveFields } from "@/lib/orders/commands";
import { exactOrderCounts } from "@/lib/orders/counts";
import { acceptProposal, proposeAlternative } from "@/lib/orders/proposals";
import { seedActiveOrders } from "@/lib/demo/active";
import { demoActor, seedDemo } from "@/lib/demo/seed";
import { demoAccounts } from "@/lib/demo/accounts";
import type { Result } from "@/lib/result";
import { type Actor, orderStates, stageKeys } from "@/lib/workflow";
import { testDatabase } from "./database";
import { inDays, orderIn } from "./fixtures";

/**
 * The order counters (lib/orders/counts.ts) against the exact count over the orders, as the KPI
 * rollups are tested: rebuilt by the seed, then kept by every command that makes or moves an
 * order (create, complete, hold, propose, accept, revise, cancel, complete the last stage), and
 * left alone by a refused one. Then what reads them: every list total, the board's columns, the
 * KPI page's work in progress and the stores' order counts, each equal to counting the orders.
 */

let conn: Connection;
const actors: Record<string, Actor> = {};
const as = (email: string) => ({ db: conn.db, actor: actors[email] });

beforeAll(async () => {
  conn = await testDatabase();
  await seedDemo(conn.db, { historyOrders: 300 });
  for (const a of demoAccounts) actors[a.email] = await demoActor(conn.db, a.email);
});
afterAll(() => conn?.close());

const key = (r: { store_id: number; stage: string; state: string }) => `${r.store_id}/${r.stage}/${r.state}`;

async function expectExact(step: string) {
  const kept = await conn.db.select().from(orderCounts);
  const exact = rowsOf<{ store_id: number; stage: string; state: string; n: number }>(await conn.db.execute(exactOrderCounts));
  const asMap = (rows: { k: string; n: number }[]) => Object.fromEntries(rows.filter((r) => r.n !== 0).map((r) => [r.k, r.n]).sort(([a], [b]) => String(a).localeCompare(String(b))));
  expect(asMap(kept.map((r) => ({ k: key({ store_id: r.storeId, stage: r.stage, state: r.state }), n: r.n }))), step).toEqual(
    asMap(exact.map((r) => ({ k: key(r), n: Number(r.n) }))),
  );
}

function ok<T extends object>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r)}`);
  return r;
}

describe("the counters equal counting the orders", () => {
  test("after the seed's bulk load (rebuilt) and the demo's orders (made by the commands)", async () => {
    await expectExact("seeded");
  });

  test("after every command that makes or moves an order, and unchanged by a refused one", async () => {
    const [north] = await conn.db.select().from(stores).where(sql`code = 'north'`);
    let o = ok(await createOrder(as("store.north@example.com"), { storeId: north.id, productSpecifications: "Twelve oak stools, 45 cm", orderQuantity: 12, requiredDeliveryDate: inDays(30) })).order;
    await expectExact("created");
    o = ok(await completeStage(as("store.north@example.com"), { orderId: o.id, version: o.version, confirmOpenTodos: true })).order;
    await expectExact("submitted");
    // A stale version is refused: nothing moves.
    expect((await completeStage(as("store.north@example.com"), { orderId: o.id, version: o.version - 1, confirmOpenTodos: true })).ok).toBe(false);
    await expectExact("refused");
    o = ok(await saveFields(as("dispatch@example.com"), { orderId: o.id, version: o.version, values: { orderFeasibility: { decision: "notFeasible", reason: "Only 6 a week" } } })).order;
    o = ok(await completeStage(as("dispatch@example.com"), { orderId: o.id, version: o.version, confirmOpenTodos: true })).order;
    expect(o.state).toBe("onHold");
    await expectExact("on hold");
    o = ok(await proposeAlternative(as("dispatch@example.com"), { orderId: o.id, version: o.version, requiredDeliveryDate: inDays(40), orderQuantity: "6" })).order;
    o = ok(await acceptProposal(as("store.north@example.com"), { orderId: o.id, version: o.version })).order;
    expect(o).toMatchObject({ state: "active", stage: "dispatchReceiving" });
    await expectExact("proposal accepted");
    o = ok(await saveFields(as("dispatch@example.com"), { orderId: o.id, version: o.version, values: { orderFeasibility: { decision: "notFeasible", reason: "Still too many" } } })).order;
    o = ok(await completeStage(as("dispatch@example.com"), { orderId: o.id, version: o.version, confirmOpenTodos: true })).order;
    o = ok(await reviseOrder(as("store.north@example.com"), { orderId: o.id, version: o.version })).order;
    expect(o).toMatchObject({ state: "active", stage: "storeOrder" });
    await expectExact("revised");
    o = ok(await cancelOrder(as("store.north@example.com"), { orderId: o.id, version: o.version, reason: "Customer withdrew" })).order;
    await expectExact("cancelled while active");

    const held = await orderIn(conn.db, { storeCode: "south", to: "dispatchReceiving" });
    let h = ok(await saveFields(as("dispatch@example.com"), { orderId: held.id, version: held.version, values: { orderFeasibility: { decision: "notFeasible", reason: "No walnut" } } })).order;
    h = ok(await completeStage(as("dispatch@example.com"), { orderId: h.id, version: h.version, confirmOpenTodos: true })).order;
    ok(await cancelOrder(as("store.south@example.com"), { orderId: h.id, version: h.version, reason: "Not needed any more" }));
    await expectExact("cancelled while on hold");

    await orderIn(conn.db, { storeCode: "south", to: "completed" });
    await expectExact("driven through every stage to completed");
  });
});

describe("what reads the counters gives what counting the orders gives", () => {
  test("every list total that the counters count: each account, view, stage, state, store and 'mine'", async () => {
    const storeIds = (await conn.db.select({ id: stores.id }).from(stores)).map((s) => s.id);
    const now = new Date();
    let checked = 0;
    for (const email of Object.keys(actors)) {
      const actor = actors[email];
      for (const view of ["queue", "all"]) {
        for (const stage of [undefined, ...stageKeys]) {
          for (const state of [undefined, ...orderStates]) {
            for (const store of [undefined, ...storeIds.map(String)]) {
              for (const mine of [undefined, "1"]) {
                if ((stage && state) || (store && mine) || (stage && mine)) continue;
                const query = orderListSchema.parse({ view, stage, state, store, mine });
                const listed = await listOrders(conn.db, actor, query, now);
                const [{ n }] = rowsOf<{ n: number }>(await conn.db.execute(sql`select count(*)::int as n from orders where ${listConditions(actor, query, now) ?? sql`true`}`));
                expect({ email, query: { view, stage, state, store, mine }, total: listed.total, more: listed.more }).toEqual({ email, query: { view, stage, state, store, mine }, total: Number(n), more: false });
                checked++;
              }
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(400);
  });

  test("the board's columns, the KPI page's work in progress and the stores' order counts", async () => {
    for (const email of ["ops@example.com", "store.south@example.com", "production@example.com"]) {
      const actor = actors[email];
      for (const query of [{}, { mine: "1" }]) {
        const columns = await boardColumns(conn.db, actor, boardSchema.parse(query));
        // With the due filter the board counts the orders themselves: at a time when every active
        // order is overdue, its stage columns are the same orders, counted by the other road.
        const counted = await boardColumns(conn.db, actor, boardSchema.parse({ ...query, sla: "overdue" }), new Date(Date.now() + 10 * 365 * 86400_000));
        const stagesOnly = (cs: typeof columns) => cs.filter((c) => c.key !== "onHold").map((c) => [c.key, c.total]);
        expect(stagesOnly(columns), `${email} ${JSON.stringify(query)}`).toEqual(stagesOnly(counted));
        const held = orderListSchema.parse({ view: "all", state: "onHold", ...query });
        const [{ n }] = rowsOf<{ n: number }>(await conn.db.execute(sql`select count(*)::int as n from orders where ${listConditions(actor, held, new Date()) ?? sql`true`}`));
        expect(columns.find((c) => c.key === "onHold")!.total, `${email} on hold`).toBe(Number(n));
      }
      if (email !== "production@example.com") {
        const filter = parseKpiFilter({ period: "30" }).filter;
        expect((await kpiReport(conn.db, actor, filter)).now).toEqual((await exactKpiReport(conn.db, actor, filter)).now);
      }
    }
    const listed = await listAllStores(conn.db);
    const exact = rowsOf<{ store_id: number; n: number }>(await conn.db.execute(sql`select store_id, count(*)::int as n from orders group by store_id`));
    expect(Object.fromEntries(listed.map((s) => [s.id, s.orderCount]))).toEqual(Object.fromEntries(listed.map((s) => [s.id, Number(exact.find((e) => e.store_id === s.id)?.n ?? 0)])));
  });
});

test("work in progress when more orders are overdue than are counted one by one: the active ones less those not yet due", async () => {
  await seedActiveOrders(conn.db, 3000);
  const now = new Date();
  const [{ overdue }] = rowsOf<{ overdue: number }>(await conn.db.execute(sql`select count(*)::int as overdue from orders where state = 'active' and stage_due_at <= ${now.toISOString()}::timestamptz`));
  expect(Number(overdue)).toBeGreaterThan(OVERDUE_COUNTED_UP_TO);
  const filter = parseKpiFilter({ period: "7" }).filter;
  for (const email of ["ops@example.com", "store.south@example.com"]) {
    expect((await kpiReport(conn.db, actors[email], filter, now)).now).toEqual((await exactKpiReport(conn.db, actors[email], filter, now)).now);
  }
  await expectExact("after a bulk load of active orders");
});
