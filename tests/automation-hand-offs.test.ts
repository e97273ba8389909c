import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { and, eq, inArray } from "drizzle-orm";
import type { Connection } from "@/db/client";
import { accounts, automationRules, notifications } from "@/db/schema";
import type { Order } from "@/db/schema";
import { cancelOrder, completeStage, recordInspection, reviseOrder, saveFields } from "@/lib/orders/commands";
import { assignStage } from "@/lib/orders/people";
import { acceptProposal, proposeAlternative } from "@/lib/orders/proposals";
import { markReadyForReinspection } from "@/lib/orders/rework";
import { demoActor } from "@/lib/demo/seed";
import type { Actor } from "@/lib/workflow";
import type { Result } from "@/lib/result";
import { type Actors, historyOf, inDays, orderIn, seedActors, seededFailReasons } from "./fixtures";
import { testDatabase } from "./database";

/**
 * Every hand-off announced (SPEC.md, "Automation rules"): the seeded defaults tell each role what
 * its work now depends on, with the reason, once, and never the person who did it.
 */

let conn: Connection;
let actors: Actors;
let production2: Actor;

beforeAll(async () => {
  conn = await testDatabase();
  ({ actors } = await seedActors(conn.db));
  await conn.db.insert(accounts).values({ email: "production2@example.com", name: "Pia Production", passwordHash: "x", roles: ["productionTeam"] });
  production2 = await demoActor(conn.db, "production2@example.com");
});
afterAll(() => conn?.close());

const as = (email: string) => ({ db: conn.db, actor: email === production2.email ? production2 : actors[email] });
function ok<T>(r: Result<T>): T & { ok: true } {
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r as T & { ok: true };
}
const id = (email: string) => (email === production2.email ? production2.id : actors[email].id);

/** The alerts about an order, as "who: message", in the order they were made (the ids of `seen` left out). */
async function alerts(orderId: number, seen: ReadonlySet<string> = new Set()) {
  const rows = await conn.db
    .select({ id: notifications.id, email: accounts.email, message: notifications.message })
    .from(notifications)
    .innerJoin(accounts, eq(accounts.id, notifications.accountId))
    .where(eq(notifications.orderId, orderId))
    .orderBy(notifications.createdAt, accounts.email);
  return rows.filter((r) => !seen.has(r.id)).map((r) => `${r.email}: ${r.message}`);
}

/** The ids of the alerts about an order so far: what comes after is new. */
async function mark(orderId: number) {
  const rows = await conn.db.select({ id: notifications.id }).from(notifications).where(eq(notifications.orderId, orderId));
  return new Set(rows.map((r) => r.id));
}

async function heldOrder(): Promise<Order> {
  const order = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving" });
  const saved = ok(await saveFields(as("dispatch@example.com"), { orderId: order.id, version: order.version, values: { orderFeasibility: { decision: "notFeasible", reason: "Oak out of stock until March" } } }));
  return ok(await completeStage(as("dispatch@example.com"), { orderId: order.id, version: saved.order.version, confirmOpenTodos: true })).order;
}

describe("quality control and production", () => {
  test("a failed inspection tells production's owner role and the person assigned, with the inspector's notes; the inspector is not told", async () => {
    let order = await orderIn(conn.db, { storeCode: "north", to: "inProduction" });
    order = ok(await assignStage(as("production@example.com"), { orderId: order.id, version: order.version, accountId: String(production2.id) })).order;
    const before = await mark(order.id);
    order = ok(await recordInspection(as("qc@example.com"), { orderId: order.id, version: order.version, qualityCheckResults: { result: "fail", notes: "Scratches on the left panel" }, failReasons: [seededFailReasons.finish] })).order;
    const told = (await alerts(order.id, before));
    expect(told.sort()).toEqual([
      "production2@example.com: Inspection failed - rework needed — Scratches on the left panel",
      "production@example.com: Inspection failed - rework needed — Scratches on the left panel",
    ]);
    // A second fail is a second inspection: told again. A pass tells no one.
    order = ok(await recordInspection(as("qc@example.com"), { orderId: order.id, version: order.version, qualityCheckResults: { result: "fail", notes: "Still scratched" }, failReasons: [seededFailReasons.finish] })).order;
    expect((await alerts(order.id, before)).filter((a) => a.includes("Still scratched"))).toHaveLength(2);
    const count = await mark(order.id);
    ok(await recordInspection(as("qc@example.com"), { orderId: order.id, version: order.version, qualityCheckResults: { result: "pass", notes: "" } }));
    expect(await alerts(order.id, count)).toEqual([]);
  });

  test("a rule on Quality Check Results fires when quality control records the inspection, once for production beside the default", async () => {
    // Before: an inspection was saved without the field rules, so this rule never fired.
    await conn.db.insert(automationRules).values({
      key: "t-qc-fail-field",
      name: "QC says fail",
      trigger: { type: "field_equals", stage: "inProduction", field: "qualityCheckResults", value: "Fail" },
      recipients: [{ kind: "role", role: "productionTeam" }, { kind: "role", role: "dispatchTeam" }],
      message: "QC failed this order",
    });
    try {
      const order = await orderIn(conn.db, { storeCode: "south", to: "inProduction" });
      const before = await mark(order.id);
      ok(await recordInspection(as("qc@example.com"), { orderId: order.id, version: order.version, qualityCheckResults: { result: "fail", notes: "Wrong colour" }, failReasons: [seededFailReasons.finish] }));
      const told = await alerts(order.id, before);
      // Dispatch through the field rule; production once, by the default (the lower-numbered rule), not twice.
      expect(told.filter((a) => a.startsWith("dispatch@example.com"))).toEqual(["dispatch@example.com: QC failed this order — Wrong colour"]);
      expect(told.filter((a) => a.startsWith("production@example.com"))).toEqual(["production@example.com: Inspection failed - rework needed — Wrong colour"]);
    } finally {
      await conn.db.delete(automationRules).where(eq(automationRules.key, "t-qc-fail-field"));
    }
  });

  test("production's Ready for re-inspection tells quality control with the note, once per failed inspection, and is kept in history", async () => {
    let order = await orderIn(conn.db, { storeCode: "north", to: "inProduction" });
    // Nothing failed yet: nothing to re-inspect.
    expect(await markReadyForReinspection(as("production@example.com"), { orderId: order.id, version: order.version })).toMatchObject({ ok: false, formError: expect.stringMatching(/latest inspection failed/) });
    order = ok(await recordInspection(as("qc@example.com"), { orderId: order.id, version: order.version, qualityCheckResults: { result: "fail", notes: "Loose hinge" }, failReasons: [seededFailReasons.finish] })).order;
    // Only production, the stage's owner, says so.
    expect(await markReadyForReinspection(as("qc@example.com"), { orderId: order.id, version: order.version })).toMatchObject({ ok: false });
    expect(await markReadyForReinspection(as("store.north@example.com"), { orderId: order.id, version: order.version })).toMatchObject({ ok: false });
    const before = await mark(order.id);
    order = ok(await markReadyForReinspection(as("production@example.com"), { orderId: order.id, version: order.version, note: "Hinge replaced" })).order;
    expect((await alerts(order.id, before))).toEqual(["qc@example.com: Rework done - ready for re-inspection — Hinge replaced"]);
    expect((await historyOf(conn.db, order.id)).at(-1)).toMatchObject({ kind: "readyForReinspection", note: "Hinge replaced", actorId: id("production@example.com") });
    expect(await markReadyForReinspection(as("production@example.com"), { orderId: order.id, version: order.version })).toMatchObject({ ok: false, formError: expect.stringMatching(/already told/) });
    // A new fail opens a new round.
    order = ok(await recordInspection(as("qc@example.com"), { orderId: order.id, version: order.version, qualityCheckResults: { result: "fail", notes: "Hinge squeaks" }, failReasons: [seededFailReasons.finish] })).order;
    ok(await markReadyForReinspection(as("production@example.com"), { orderId: order.id, version: order.version }));
    expect((await alerts(order.id, before)).filter((a) => a.startsWith("qc@example.com"))).toEqual([
      "qc@example.com: Rework done - ready for re-inspection — Hinge replaced",
      "qc@example.com: Rework done - ready for re-inspection",
    ]);
  });
});

describe("dispatch and the store", () => {
  test("a proposal tells the store what is proposed; accepting it tells dispatch, once", async () => {
    let order = await heldOrder();
    const before = await mark(order.id);
    order = ok(await proposeAlternative(as("dispatch@example.com"), { orderId: order.id, version: order.version, requiredDeliveryDate: inDays(60), orderQuantity: "3", note: "We can make 3 by then" })).order;
    const proposal = (await alerts(order.id, before));
    expect(proposal).toHaveLength(1);
    expect(proposal[0]).toMatch(/^store\.north@example\.com: Dispatch proposes an alternative - accept it, revise or cancel the order — Proposed: delivery .+, quantity 3 \(We can make 3 by then\)$/);

    const count = await mark(order.id);
    order = ok(await acceptProposal(as("store.north@example.com"), { orderId: order.id, version: order.version })).order;
    const accepted = (await alerts(order.id, count));
    // The order is back in Receiving by Dispatch ("New order" would tell dispatch too): one alert, the one that says why.
    expect(accepted).toHaveLength(1);
    expect(accepted[0]).toMatch(/^dispatch@example\.com: The store accepted your proposal - the order is back for feasibility — Accepted: delivery .+, quantity 3/);
  });

  test("revising instead of accepting declines the proposal: dispatch is told", async () => {
    let order = await heldOrder();
    order = ok(await proposeAlternative(as("dispatch@example.com"), { orderId: order.id, version: order.version, orderQuantity: "2" })).order;
    const count = await mark(order.id);
    ok(await reviseOrder(as("store.north@example.com"), { orderId: order.id, version: order.version }));
    expect((await alerts(order.id, count))).toEqual(["dispatch@example.com: The store declined your proposal — The store revises the order instead"]);
  });

  test("a cancellation tells dispatch, with the reason", async () => {
    const order = await orderIn(conn.db, { storeCode: "south", to: "inProduction" });
    const count = await mark(order.id);
    ok(await cancelOrder(as("store.south@example.com"), { orderId: order.id, version: order.version, reason: "Customer withdrew" }));
    expect((await alerts(order.id, count))).toEqual(["dispatch@example.com: Order cancelled — Customer withdrew"]);
  });

  test("the person assigned a stage is told; claiming it for oneself tells no one", async () => {
    let order = await orderIn(conn.db, { storeCode: "north", to: "inProduction" });
    const count = await mark(order.id);
    order = ok(await assignStage(as("production@example.com"), { orderId: order.id, version: order.version, accountId: String(actors["qc@example.com"].id) })).order;
    expect((await alerts(order.id, count))).toEqual(["qc@example.com: You were assigned this order — Pat Production assigned In Production to Quinn Quality"]);
    order = ok(await assignStage(as("production@example.com"), { orderId: order.id, version: order.version, accountId: "" })).order;
    ok(await assignStage(as("production2@example.com"), { orderId: order.id, version: order.version, accountId: "me" }));
    expect((await alerts(order.id, count))).toHaveLength(1);
  });

  test("each hand-off is a rule admins can switch off", async () => {
    await conn.db.update(automationRules).set({ enabled: false }).where(inArray(automationRules.key, ["cancelled-to-dispatch"]));
    try {
      const order = await orderIn(conn.db, { storeCode: "south", to: "dispatching" });
      const count = await mark(order.id);
      ok(await cancelOrder(as("store.south@example.com"), { orderId: order.id, version: order.version, reason: "Not needed" }));
      expect(await alerts(order.id, count)).toEqual([]);
    } finally {
      await conn.db.update(automationRules).set({ enabled: true }).where(and(eq(automationRules.key, "cancelled-to-dispatch")));
    }
  });
});
