import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { and, eq } from "drizzle-orm";
import { type Connection, rowsOf } from "@/db/client";
import { auditLog, capacityLoad, orderHistory, orders } from "@/db/schema";
import { acceptProposal, proposeAlternative } from "@/lib/orders/proposals";
import { cancelOrder, completeStage, recordInspection, saveFields, saveStage } from "@/lib/orders/commands";
import { saveStageSchema } from "@/lib/orders/schemas";
import { seedActiveOrders } from "@/lib/demo/active";
import { exactCapacityLoad, loadBetween, rebuildCapacityLoad } from "@/lib/planning/load";
import { removeCapacity, setCapacity } from "@/lib/planning/commands";
import { capacityAround, proposalDate } from "@/lib/planning/check";
import { saveCalendar } from "@/lib/stores/calendars";
import type { Result } from "@/lib/result";
import type { Order } from "@/db/schema";
import { testDatabase } from "./database";
import { type Actors, orderIn, seedActors } from "./fixtures";

/**
 * The load per day (capacity_load, lib/planning/load.ts) against its exact SQL, as the order
 * counters are tested: on a hand-computed fixture, after every command that changes an order's
 * load (a schedule saved or moved, a stage completed, on hold, a proposal accepted, cancelled, a
 * refused change), after a change of the shop's calendar, and on generated data.
 *
 * The shop works Monday to Friday with Wednesday 6 January 2027 off. January 2027: Mon 4, Tue 5,
 * Wed 6 (off), Thu 7, Fri 8, Sat 9, Sun 10, Mon 11, Tue 12, Wed 13, Thu 14, Fri 15.
 */

let conn: Connection;
let actors: Actors;
const as = (email: string, now?: Date) => ({ db: conn.db, actor: actors[email], now });
const dispatch = "dispatch@example.com";
const admin = "admin@example.com";
const weekday = { open: "08:00", close: "16:00" };
const shopWeek = { sun: null, mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday, sat: null };

function ok<T extends object>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r)}`);
  return r;
}

async function kept() {
  const rows = await conn.db.select().from(capacityLoad);
  return Object.fromEntries(rows.filter((r) => r.units !== 0).map((r) => [r.day, r.units]).sort(([a], [b]) => String(a).localeCompare(String(b))));
}
async function exact() {
  const rows = rowsOf<{ day: string | Date; units: number }>(await conn.db.execute(exactCapacityLoad));
  const day = (d: string | Date) => (typeof d === "string" ? d.slice(0, 10) : d.toISOString().slice(0, 10));
  return Object.fromEntries(rows.map((r) => [day(r.day), Number(r.units)]).sort(([a], [b]) => String(a).localeCompare(String(b))));
}
async function expectExact(step: string, hand?: Record<string, number>) {
  const rollup = await kept();
  expect(rollup, step).toEqual(await exact());
  if (hand) expect(rollup, `${step}: by hand`).toEqual(hand);
}

/** An order in In Production (or planned in Receiving by Dispatch) with this quantity and schedule. */
async function scheduled(quantity: number, start: string, end: string, to: "inProduction" | "dispatchReceiving" = "inProduction"): Promise<Order> {
  if (to === "inProduction") {
    return orderIn(conn.db, { storeCode: "north", to, quantity, values: { dispatchReceiving: { productionSchedule: { start, end, confirmed: true } } } });
  }
  const o = await orderIn(conn.db, { storeCode: "north", to, quantity });
  return ok(await saveFields(as(dispatch), { orderId: o.id, version: o.version, values: { productionSchedule: { start, end, confirmed: true } } })).order;
}

beforeAll(async () => {
  conn = await testDatabase();
  ({ actors } = await seedActors(conn.db));
  ok(await saveCalendar(as(admin), { ...shopWeek, holidays: "2027-01-06" }));
});
afterAll(() => conn?.close());

describe("the load per day equals its exact SQL", () => {
  let a: Order, b: Order, c: Order, d: Order;

  test("on the hand-computed fixture", async () => {
    // A: 10 over Mon 4 → Fri 8, Wed 6 off: 4 working days, 3 3 2 2.
    a = await scheduled(10, "2027-01-04", "2027-01-08");
    // B: 7 over Fri 8 → Mon 11: 4 3.
    b = await scheduled(7, "2027-01-08", "2027-01-11");
    // C: 5 over the weekend alone: spread over its days, 3 2.
    c = await scheduled(5, "2027-01-09", "2027-01-10");
    // D: 3 on Mon 11, planned and not yet sent to production.
    d = await scheduled(3, "2027-01-11", "2027-01-11", "dispatchReceiving");
    // Not planned yet: no load.
    await orderIn(conn.db, { storeCode: "south", to: "dispatchReceiving", quantity: 40 });
    await expectExact("fixture", { "2027-01-04": 3, "2027-01-05": 3, "2027-01-07": 2, "2027-01-08": 6, "2027-01-09": 3, "2027-01-10": 2, "2027-01-11": 6 });
    expect(Object.fromEntries(await loadBetween(conn.db, "2027-01-08", "2027-01-09"))).toEqual({ "2027-01-08": 6, "2027-01-09": 3 });
  });

  test("under every command that changes it, and not under a refused one", async () => {
    // The plan moves in In Production (dispatch keeps it): B to Tue 12 → Wed 13, 4 3.
    b = ok(await saveFields(as(dispatch), { orderId: b.id, version: b.version, values: { productionSchedule: { start: "2027-01-12", end: "2027-01-13", confirmed: true } } })).order;
    await expectExact("moved", { "2027-01-04": 3, "2027-01-05": 3, "2027-01-07": 2, "2027-01-08": 2, "2027-01-09": 3, "2027-01-10": 2, "2027-01-11": 3, "2027-01-12": 4, "2027-01-13": 3 });
    // A stale save is refused: nothing moves.
    expect((await saveFields(as(dispatch), { orderId: b.id, version: b.version - 1, values: { productionSchedule: { start: "2027-01-04", end: "2027-01-04", confirmed: true } } })).ok).toBe(false);
    await expectExact("refused");
    // Production done: C leaves In Production and its load with it.
    c = ok(await saveFields(as("production@example.com"), { orderId: c.id, version: c.version, values: { productionStatus: "completed", completionPercentage: "100" } })).order;
    c = ok(await recordInspection(as("qc@example.com"), { orderId: c.id, version: c.version, qualityCheckResults: { result: "pass", notes: "" } })).order;
    c = ok(await completeStage(as("production@example.com"), { orderId: c.id, version: c.version, confirmOpenTodos: true })).order;
    expect(c.stage).toBe("dispatching");
    await expectExact("produced");
    // D not feasible: on hold, no load; the store accepts a proposal: back in Receiving by Dispatch.
    d = ok(await saveFields(as(dispatch), { orderId: d.id, version: d.version, values: { orderFeasibility: { decision: "notFeasible", reason: "Machine down" } } })).order;
    d = ok(await completeStage(as(dispatch), { orderId: d.id, version: d.version, confirmOpenTodos: true })).order;
    expect(d.state).toBe("onHold");
    await expectExact("on hold");
    d = ok(await proposeAlternative(as(dispatch), { orderId: d.id, version: d.version, orderQuantity: "2" })).order;
    d = ok(await acceptProposal(as("store.north@example.com"), { orderId: d.id, version: d.version })).order;
    expect(d).toMatchObject({ state: "active", stage: "dispatchReceiving" });
    // It decides and schedules anew: no schedule, no load yet.
    expect(d.fields.productionSchedule).toBeUndefined();
    await expectExact("accepted");
    expect((await kept())["2027-01-11"]).toBeUndefined();
    // Cancelled in production: A's load goes.
    a = ok(await cancelOrder(as(admin), { orderId: a.id, version: a.version, reason: "The store closed" })).order;
    await expectExact("cancelled");
    // The stage form, as dispatch sends it: a new schedule for D, then completed to production.
    const form = saveStageSchema.parse({ orderId: String(d.id), version: String(d.version), stage: "dispatchReceiving", intent: "complete", editable: "orderFeasibility,productionSchedule,specialRequirements", orderFeasibility: { decision: "feasible", reason: "" }, productionSchedule: { start: "2027-01-14", end: "2027-01-15", confirmed: "on" }, confirmOpenTodos: "on" });
    ok(await saveStage(as(dispatch), form));
    await expectExact("completed from the form");
  });

  test("a change of the shop's calendar spreads every load anew", async () => {
    // Thursday 14 off as well.
    ok(await saveCalendar(as(admin), { ...shopWeek, holidays: "2027-01-06\n2027-01-14" }));
    await expectExact("new calendar");
    expect((await kept())["2027-01-14"]).toBeUndefined();
    // A store's calendar is not production's: nothing to spread.
    const before = await kept();
    const [north] = await conn.db.select({ storeId: orders.storeId }).from(orders).limit(1);
    ok(await saveCalendar(as(admin), { storeId: north.storeId, ...shopWeek, holidays: "2027-01-13" }));
    expect(await kept()).toEqual(before);
  });

  test("on generated data, after the bulk load and a rebuild", async () => {
    await seedActiveOrders(conn.db, 600);
    await expectExact("bulk load rebuilt");
    const some = await conn.db.select().from(orders).where(and(eq(orders.stage, "inProduction"), eq(orders.state, "active"))).limit(12);
    for (const [i, o] of some.entries()) {
      const start = `2027-02-${String(1 + (i % 20)).padStart(2, "0")}`;
      const end = `2027-02-${String(1 + (i % 20) + (i % 5)).padStart(2, "0")}`;
      if (i % 3 === 2) ok(await cancelOrder(as(admin), { orderId: o.id, version: o.version, reason: "Generated cancel" }));
      else ok(await saveFields(as(dispatch), { orderId: o.id, version: o.version, values: { productionSchedule: { start, end, confirmed: true } } }));
    }
    await expectExact("generated changes");
    const kept1 = await kept();
    await rebuildCapacityLoad(conn.db);
    expect(await kept()).toEqual(kept1);
  });
});

describe("dispatch plans against capacity", () => {
  test("a schedule that overloads a day asks for confirmation, names the earliest end that fits, and is recorded", async () => {
    // 10 units a day from 1 March; a new machine makes it 20 from 1 April.
    ok(await setCapacity(as(admin), { effectiveFrom: "2027-03-01", unitsPerDay: "10" }));
    ok(await setCapacity(as(admin), { effectiveFrom: "2027-04-01", unitsPerDay: "20" }));
    // Mon 1 → Fri 5 March full (10 each, 50 over 5 working days).
    await scheduled(50, "2027-03-01", "2027-03-05");
    const o = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving", quantity: 4 });
    const values = { productionSchedule: { start: "2027-03-03", end: "2027-03-04", confirmed: true } };
    const asked = await saveFields(as(dispatch), { orderId: o.id, version: o.version, values });
    expect(asked.ok).toBe(false);
    // 2 a day onto 10 of 10: Wed 3 and Thu 4 at 12 of 10. Two working days from today that fit: Mon 8, Tue 9 March.
    const message = !asked.ok ? asked.fieldErrors?.["productionSchedule.confirmOverload"]?.[0] : "";
    expect(message).toContain("3 Mar 2027 (12 of 10 units)");
    expect(message).toContain("Earliest planned end that fits: 9 Mar 2027");
    expect((await conn.db.select().from(orders).where(eq(orders.id, o.id)))[0].fields.productionSchedule).toBeUndefined();
    const saved = ok(await saveFields(as(dispatch), { orderId: o.id, version: o.version, values, confirmOverload: true })).order;
    const [event] = await conn.db.select().from(orderHistory).where(eq(orderHistory.orderId, saved.id)).orderBy(orderHistory.id).then((r) => r.filter((e) => e.subject === "productionSchedule"));
    expect(event.note).toContain("Confirmed over capacity: 3 Mar 2027 (12 of 10 units)");
    // The stage panel: the days around it and the fit at its length.
    const around = await capacityAround(conn.db, saved, new Date("2027-02-20T09:00:00Z"));
    expect(around.fit?.end).toBe("2027-03-09");
    expect(around.days.find((x) => x.day === "2027-03-03")).toMatchObject({ load: 10, mine: 2, capacity: 10, working: true });
    // Not feasible: the proposal's date, at any length, from the day it is asked (Sat 20 Feb, before any capacity: from 1 March).
    expect(await proposalDate(conn.db, { ...saved, state: "onHold" }, new Date("2027-02-20T09:00:00Z"))).toBe("2027-03-08");
  });

  test("the capacity page's commands: administrators only, audited", async () => {
    const refused = await setCapacity(as(dispatch), { effectiveFrom: "2027-05-01", unitsPerDay: "30" });
    expect(refused).toMatchObject({ ok: false, formError: "Only administrators can set the production capacity" });
    const bad = await setCapacity(as(admin), { effectiveFrom: "2027-02-30", unitsPerDay: "-1" });
    expect(bad.ok ? {} : bad.fieldErrors).toMatchObject({ effectiveFrom: ["Enter a real date"], unitsPerDay: ["Units per working day must be at least 0"] });
    ok(await setCapacity(as(admin), { effectiveFrom: "2027-05-01", unitsPerDay: "30" }));
    ok(await removeCapacity(as(admin), { effectiveFrom: "2027-05-01" }));
    expect((await removeCapacity(as(admin), { effectiveFrom: "2027-05-01" })).ok).toBe(false);
    const audit = await conn.db.select().from(auditLog).where(eq(auditLog.kind, "capacityChanged")).orderBy(auditLog.id);
    expect(audit.slice(-2).map((e) => [e.before, e.after])).toEqual([
      [null, { effectiveFrom: "2027-05-01", unitsPerDay: 30 }],
      [{ effectiveFrom: "2027-05-01", unitsPerDay: 30 }, null],
    ]);
  });
});
