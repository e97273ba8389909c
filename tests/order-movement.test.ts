import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { eq } from "drizzle-orm";
import type { Connection } from "@/db/client";
import { inspections, orders, stageEntries } from "@/db/schema";
import { addAttachments, cancelOrder, completeStage, completionMessage, createOrder, recordInspection, reviseOrder, saveAndCompleteStage, saveFields, toggleTodo } from "@/lib/orders/commands";
import type { Result } from "@/lib/result";
import { stageKeys, todoKey } from "@/lib/workflow";
import { testDatabase } from "./database";
import { type Actors, historyOf, inDays, orderIn, pdfFile, seedActors, seededFailReasons } from "./fixtures";

let conn: Connection;
let actors: Actors;
let north: number;
const as = (email: string) => ({ db: conn.db, actor: actors[email] });

beforeAll(async () => {
  conn = await testDatabase();
  const seeded = await seedActors(conn.db);
  actors = seeded.actors;
  north = seeded.storeIds.north;
});
afterAll(() => conn.close());

function ok<T extends object>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r)}`);
  return r;
}

describe("the happy path through five stages", () => {
  test("each role does its step and the order completes", async () => {
    let o = ok(
      await createOrder(as("store.north@example.com"), { storeId: north, productSpecifications: "Ten oak stools, 45 cm, oiled", orderQuantity: 10, requiredDeliveryDate: inDays(20), attachments: [pdfFile()] }),
    ).order;
    expect(o.stage).toBe("storeOrder");
    expect(o.stageDueAt.getTime() - o.stageEnteredAt.getTime()).toBe(4 * 3600_000);
    for (const t of ["submitSpecifications", "defineRequirements", "attachReferences"]) {
      o = ok(await toggleTodo(as("store.north@example.com"), { orderId: o.id, version: o.version, todo: todoKey("storeOrder", t), done: true })).order;
    }
    o = ok(await completeStage(as("store.north@example.com"), { orderId: o.id, version: o.version, confirmOpenTodos: false })).order;
    expect(o.stage).toBe("dispatchReceiving");
    expect(o.submittedAt).not.toBeNull();

    o = ok(
      await saveFields(as("dispatch@example.com"), {
        orderId: o.id,
        version: o.version,
        values: { orderFeasibility: { decision: "feasible" }, productionSchedule: { start: inDays(1), end: inDays(6) }, specialRequirements: "Pack in pairs" },
      }),
    ).order;
    o = ok(await completeStage(as("dispatch@example.com"), { orderId: o.id, version: o.version, confirmOpenTodos: true })).order;
    expect(o.stage).toBe("inProduction");
    // Scheduled: due at the end of the planned end day (no calendar: around the clock, UTC), not by the 5-day target.
    expect(o.stageDueAt.toISOString()).toBe(`${inDays(6)}T23:59:59.999Z`);

    o = ok(await saveFields(as("production@example.com"), { orderId: o.id, version: o.version, values: { productionStatus: "completed", completionPercentage: "100" } })).order;
    o = ok(await recordInspection(as("qc@example.com"), { orderId: o.id, version: o.version, qualityCheckResults: { result: "pass", notes: "" } })).order;
    o = ok(await completeStage(as("production@example.com"), { orderId: o.id, version: o.version, confirmOpenTodos: true })).order;
    expect(o.stage).toBe("dispatching");

    o = ok(
      await saveFields(as("dispatch@example.com"), { orderId: o.id, version: o.version, values: { shipmentMethod: "freight", trackingNumber: "FR-1234", estimatedDeliveryTime: `${inDays(8)}T10:00` } }),
    ).order;
    o = ok(await completeStage(as("dispatch@example.com"), { orderId: o.id, version: o.version, confirmOpenTodos: true })).order;
    expect(o.stage).toBe("storeReceived");
    // Due 2 hours after the Estimated Delivery Time, not after shipping.
    expect(o.stageDueAt.getTime()).toBe(Date.parse(o.fields.estimatedDeliveryTime!) + 2 * 3600_000);

    o = ok(
      await saveFields(as("store.north@example.com"), {
        orderId: o.id,
        version: o.version,
        values: { receiptConfirmation: { confirmedBy: "Nora North" }, productCondition: "good", customerFeedback: { rating: "5", comment: "Lovely" } },
      }),
    ).order;
    o = ok(await completeStage(as("store.north@example.com"), { orderId: o.id, version: o.version, confirmOpenTodos: true })).order;
    expect(o.state).toBe("completed");
    expect(o.receivedAt).not.toBeNull();
    expect(o.customerRating).toBe(5);

    const entries = await conn.db.select().from(stageEntries).where(eq(stageEntries.orderId, o.id));
    expect(entries.map((e) => e.stage)).toEqual([...stageKeys]);
    expect(entries.every((e) => e.completedAt)).toBe(true);
    const kinds = (await historyOf(conn.db, o.id)).map((h) => h.kind);
    expect(kinds.filter((k) => k === "stageCompleted")).toHaveLength(4);
    expect(kinds.at(-1)).toBe("completed");
    expect(kinds).toContain("attachmentAdded");
  });
});

describe("not feasible → hold → revise → resubmit", () => {
  test("the order holds, returns to stage 1, and can be resubmitted", async () => {
    let o = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving" });
    o = ok(
      await saveFields(as("dispatch@example.com"), {
        orderId: o.id,
        version: o.version,
        values: { orderFeasibility: { decision: "notFeasible", reason: "No walnut in stock" }, productionSchedule: { start: inDays(1), end: inDays(3) } },
      }),
    ).order;
    o = ok(await completeStage(as("dispatch@example.com"), { orderId: o.id, version: o.version, confirmOpenTodos: true })).order;
    expect(o.state).toBe("onHold");
    expect(o.stage).toBe("dispatchReceiving");

    // Dispatch cannot move a held order on; the South store manager cannot revise North's order.
    expect((await completeStage(as("dispatch@example.com"), { orderId: o.id, version: o.version, confirmOpenTodos: true })).ok).toBe(false);
    expect((await reviseOrder(as("store.south@example.com"), { orderId: o.id, version: o.version })).ok).toBe(false);

    o = ok(await reviseOrder(as("store.north@example.com"), { orderId: o.id, version: o.version })).order;
    expect(o.state).toBe("active");
    expect(o.stage).toBe("storeOrder");
    expect(o.fields.orderFeasibility).toBeUndefined();
    o = ok(await saveFields(as("store.north@example.com"), { orderId: o.id, version: o.version, values: { productSpecifications: "Oak instead of walnut, otherwise the same" } })).order;
    o = ok(await completeStage(as("store.north@example.com"), { orderId: o.id, version: o.version, confirmOpenTodos: true })).order;
    expect(o.stage).toBe("dispatchReceiving");
    const kinds = (await historyOf(conn.db, o.id)).map((h) => h.kind);
    expect(kinds).toEqual(expect.arrayContaining(["putOnHold", "revised"]));
  });

  test("a held order can be cancelled by its store manager, with a reason", async () => {
    let o = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving" });
    const noReason = await cancelOrder(as("store.north@example.com"), { orderId: o.id, version: o.version, reason: "" });
    expect(noReason.ok).toBe(false);
    if (!noReason.ok) expect(noReason.fieldErrors?.reason?.[0]).toMatch(/reason/i);
    o = ok(await cancelOrder(as("store.north@example.com"), { orderId: o.id, version: o.version, reason: "Customer withdrew" })).order;
    expect(o.state).toBe("cancelled");
    expect(o.cancelReason).toBe("Customer withdrew");
  });
});

describe("quality control fail → rework → pass", () => {
  test("a failed inspection keeps the order in production; a pass lets it go", async () => {
    let o = await orderIn(conn.db, { storeCode: "north", to: "inProduction" });
    o = ok(await saveFields(as("production@example.com"), { orderId: o.id, version: o.version, values: { productionStatus: "completed", completionPercentage: "100" } })).order;
    o = ok(await recordInspection(as("qc@example.com"), { orderId: o.id, version: o.version, qualityCheckResults: { result: "fail", notes: "Scratches on the top" }, failReasons: [seededFailReasons.finish] })).order;
    const blocked = await completeStage(as("production@example.com"), { orderId: o.id, version: o.version, confirmOpenTodos: true });
    expect(blocked.ok).toBe(false);
    if (!blocked.ok) expect(blocked.fieldErrors?.qualityCheckResults?.[0]).toMatch(/failed/);

    o = ok(await saveFields(as("production@example.com"), { orderId: o.id, version: o.version, values: { productionStatus: "inProgress", completionPercentage: "80" } })).order;
    o = ok(await saveFields(as("production@example.com"), { orderId: o.id, version: o.version, values: { productionStatus: "completed", completionPercentage: "100" } })).order;
    o = ok(await recordInspection(as("qc@example.com"), { orderId: o.id, version: o.version, qualityCheckResults: { result: "pass", notes: "Refinished" } })).order;
    o = ok(await completeStage(as("production@example.com"), { orderId: o.id, version: o.version, confirmOpenTodos: true })).order;
    expect(o.stage).toBe("dispatching");
    const kept = await conn.db.select().from(inspections).where(eq(inspections.orderId, o.id)).orderBy(inspections.id);
    expect(kept.map((i) => i.result)).toEqual(["fail", "pass"]);
  });

  test("production needs status completed and 100 %", async () => {
    let o = await orderIn(conn.db, { storeCode: "north", to: "inProduction" });
    o = ok(await saveFields(as("production@example.com"), { orderId: o.id, version: o.version, values: { productionStatus: "inProgress", completionPercentage: "90" } })).order;
    o = ok(await recordInspection(as("qc@example.com"), { orderId: o.id, version: o.version, qualityCheckResults: { result: "pass", notes: "" } })).order;
    const r = await completeStage(as("production@example.com"), { orderId: o.id, version: o.version, confirmOpenTodos: true });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.fieldErrors ?? {}).sort()).toEqual(["completionPercentage", "productionStatus"]);
  });
});

describe("open to-dos", () => {
  test("completing with open to-dos needs a confirmation, which is recorded", async () => {
    let o = await orderIn(conn.db, { storeCode: "north", to: "storeOrder", tickTodos: false });
    o = ok(await toggleTodo(as("store.north@example.com"), { orderId: o.id, version: o.version, todo: "storeOrder.submitSpecifications", done: true })).order;
    const refused = await completeStage(as("store.north@example.com"), { orderId: o.id, version: o.version, confirmOpenTodos: false });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.openTodos).toEqual(["Define quantity and delivery requirements", "Attach reference materials or designs"]);
    o = ok(await completeStage(as("store.north@example.com"), { orderId: o.id, version: o.version, confirmOpenTodos: true })).order;
    expect(o.stage).toBe("dispatchReceiving");
    const [entry] = await conn.db.select().from(stageEntries).where(eq(stageEntries.orderId, o.id)).orderBy(stageEntries.id).limit(1);
    expect(entry.openTodosConfirmed).toEqual(["Define quantity and delivery requirements", "Attach reference materials or designs"]);
    const last = (await historyOf(conn.db, o.id)).at(-1)!;
    expect(last.note).toMatch(/confirmed with open to-dos/);
  });

  test("required fields block completion, each named", async () => {
    let o = await orderIn(conn.db, { storeCode: "north", to: "dispatching" });
    o = ok(await saveFields(as("dispatch@example.com"), { orderId: o.id, version: o.version, values: { shipmentMethod: "courier" } })).order;
    const r = await completeStage(as("dispatch@example.com"), { orderId: o.id, version: o.version, confirmOpenTodos: true });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.fieldErrors?.trackingNumber).toEqual(["Tracking Number is required"]);
      expect(r.fieldErrors?.estimatedDeliveryTime).toEqual(["Estimated Delivery Time is required"]);
    }
  });

  test("the production schedule may end after the delivery date only when confirmed", async () => {
    const o = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving", requiredDeliveryDate: inDays(5) });
    const late = { orderFeasibility: { decision: "feasible" }, productionSchedule: { start: inDays(1), end: inDays(9) } };
    const r = await saveFields(as("dispatch@example.com"), { orderId: o.id, version: o.version, values: late });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.fieldErrors?.["productionSchedule.end"]?.[0]).toMatch(/Required Delivery Date/);
    const confirmed = await saveFields(as("dispatch@example.com"), { orderId: o.id, version: o.version, values: { ...late, productionSchedule: { ...late.productionSchedule, confirmed: "on" } } });
    expect(confirmed.ok).toBe(true);
  });
});

describe("attachments", () => {
  test("type is checked by content, not by name", async () => {
    const o = await orderIn(conn.db, { storeCode: "north", to: "storeOrder" });
    const fake = new File([Buffer.from("MZ\x90\x00 not a pdf")], "design.pdf", { type: "application/pdf" });
    const r = await addAttachments(as("store.north@example.com"), { orderId: o.id, version: o.version, attachments: [fake] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.fieldErrors?.attachments?.[0]).toMatch(/not a PDF or an image/);
    const good = await addAttachments(as("store.north@example.com"), { orderId: o.id, version: o.version, attachments: [pdfFile()] });
    expect(good.ok).toBe(true);
  });

  test("files over the size limit are refused", async () => {
    const o = await orderIn(conn.db, { storeCode: "north", to: "storeOrder" });
    const big = new File([Buffer.concat([Buffer.from("%PDF-"), Buffer.alloc(10 * 1024 * 1024)])], "big.pdf");
    const r = await addAttachments(as("store.north@example.com"), { orderId: o.id, version: o.version, attachments: [big] });
    expect(r.ok).toBe(false);
    const [row] = await conn.db.select({ version: orders.version }).from(orders).where(eq(orders.id, o.id));
    expect(row.version).toBe(o.version);
  });
});

describe("a not-feasible order", () => {
  test("goes on hold without a Production Schedule", async () => {
    let o = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving" });
    o = ok(await saveFields(as("dispatch@example.com"), { orderId: o.id, version: o.version, values: { orderFeasibility: { decision: "notFeasible", reason: "Material discontinued" } } })).order;
    o = ok(await completeStage(as("dispatch@example.com"), { orderId: o.id, version: o.version, confirmOpenTodos: true })).order;
    expect(o.state).toBe("onHold");
  });

  test("a feasible order still needs its schedule", async () => {
    const o = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving" });
    const saved = ok(await saveFields(as("dispatch@example.com"), { orderId: o.id, version: o.version, values: { orderFeasibility: { decision: "feasible" } } })).order;
    const r = await completeStage(as("dispatch@example.com"), { orderId: o.id, version: saved.version, confirmOpenTodos: true });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.fieldErrors?.productionSchedule).toEqual(["Production Schedule is required"]);
  });
});

describe("save and complete: one command, all or nothing", () => {
  test("a refused completion saves nothing: the failed inspection keeps the order, and the stored values stay", async () => {
    let o = await orderIn(conn.db, { storeCode: "north", to: "inProduction" });
    o = ok(await recordInspection(as("qc@example.com"), { orderId: o.id, version: o.version, qualityCheckResults: { result: "fail", notes: "Scratched" }, failReasons: [seededFailReasons.finish] })).order;
    const stored = (await conn.db.select().from(orders).where(eq(orders.id, o.id)))[0];
    const r = await saveAndCompleteStage(as("production@example.com"), {
      orderId: o.id,
      version: o.version,
      values: { productionStatus: "completed", completionPercentage: "100" },
      confirmOpenTodos: "on",
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.fieldErrors?.qualityCheckResults).toEqual(["The latest inspection failed: rework and inspect again"]);
    const after = (await conn.db.select().from(orders).where(eq(orders.id, o.id)))[0];
    expect(after.version).toBe(stored.version);
    expect(after.fields).toEqual(stored.fields);
    expect((await historyOf(conn.db, o.id)).filter((e) => e.kind === "fieldChanged" && e.version > o.version)).toEqual([]);
  });

  test("open to-dos not confirmed: nothing saved either; confirmed: fields and move in one version", async () => {
    const o = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving", tickTodos: false });
    const values = { orderFeasibility: { decision: "feasible" }, productionSchedule: { start: inDays(1), end: inDays(3) } };
    const refused = await saveAndCompleteStage(as("dispatch@example.com"), { orderId: o.id, version: o.version, values });
    expect(!refused.ok && refused.openTodos).toHaveLength(3);
    expect((await conn.db.select().from(orders).where(eq(orders.id, o.id)))[0].version).toBe(o.version);
    const done = ok(await saveAndCompleteStage(as("dispatch@example.com"), { orderId: o.id, version: o.version, values, confirmOpenTodos: "on" }));
    expect(done.order).toMatchObject({ stage: "inProduction", version: o.version + 1 });
    expect(done.changed.sort()).toEqual(["orderFeasibility", "productionSchedule"]);
    const events = (await historyOf(conn.db, o.id)).filter((e) => e.version === done.order.version).map((e) => e.kind);
    expect(events).toEqual(["fieldChanged", "fieldChanged", "stageCompleted"]);
  });

  test("not feasible, saved and completed at once, still alerts the store and holds the order", async () => {
    const o = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving" });
    const done = ok(await saveAndCompleteStage(as("dispatch@example.com"), { orderId: o.id, version: o.version, values: { orderFeasibility: { decision: "notFeasible", reason: "No oak" } }, confirmOpenTodos: "on" }));
    expect(done.order.state).toBe("onHold");
    const { notifications } = await import("@/db/schema");
    const alerts = await conn.db.select().from(notifications).where(eq(notifications.orderId, o.id));
    expect(alerts.length).toBeGreaterThan(0);
  });
});

describe("conflicts only where the same thing changed", () => {
  test("a colleague's to-do tick does not turn a field save into a conflict", async () => {
    const o = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving", tickTodos: false });
    ok(await toggleTodo(as("dispatch@example.com"), { orderId: o.id, version: o.version, todo: todoKey("dispatchReceiving", "reviewSpecifications"), done: true }));
    const saved = ok(await saveFields(as("production@example.com"), { orderId: o.id, version: o.version, values: { specialRequirements: "Pack in pairs" } }));
    expect(saved.order.fields.specialRequirements).toBe("Pack in pairs");
    expect(saved.order.doneTodos).toEqual([todoKey("dispatchReceiving", "reviewSpecifications")]);
  });

  test("the same field changed since: a conflict that names the colleague's value", async () => {
    const o = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving" });
    ok(await saveFields(as("dispatch@example.com"), { orderId: o.id, version: o.version, values: { specialRequirements: "Blue ribbon" } }));
    const r = await saveFields(as("production@example.com"), { orderId: o.id, version: o.version, values: { specialRequirements: "Red ribbon" } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.conflict?.changes.map((c) => c.text)).toEqual(["Special Requirements: — → Blue ribbon"]);
  });

  test("the order moved on since: a conflict, whatever the field", async () => {
    const o = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving" });
    const moved = ok(await saveAndCompleteStage(as("dispatch@example.com"), { orderId: o.id, version: o.version, values: { orderFeasibility: { decision: "feasible" }, productionSchedule: { start: inDays(1), end: inDays(3) } }, confirmOpenTodos: "on" }));
    expect(moved.order.stage).toBe("inProduction");
    const r = await saveFields(as("production@example.com"), { orderId: o.id, version: o.version, values: { specialRequirements: "Late note" } });
    expect(!r.ok && r.conflict).toBeTruthy();
  });
});

describe("a stored date that has since passed", () => {
  test("counts as filled: a revised order sent back after its delivery date passed completes Store Order; only a new date is checked against today", async () => {
    const store = as("store.north@example.com");
    let o = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving" });
    o = ok(await saveFields(as("dispatch@example.com"), { orderId: o.id, version: o.version, values: { orderFeasibility: { decision: "notFeasible", reason: "No walnut this month" } } })).order;
    o = ok(await completeStage(as("dispatch@example.com"), { orderId: o.id, version: o.version, confirmOpenTodos: true })).order;
    expect(o.state).toBe("onHold");
    // Time passes: the delivery date the store asked for is now yesterday.
    const yesterday = inDays(-1);
    await conn.db.update(orders).set({ fields: { ...o.fields, requiredDeliveryDate: yesterday }, requiredDeliveryDate: yesterday }).where(eq(orders.id, o.id));
    o = ok(await reviseOrder(store, { orderId: o.id, version: o.version })).order;
    expect(o.stage).toBe("storeOrder");

    // The stage form sends the date as it shows it, unchanged, with another change: saved.
    o = ok(await saveFields(store, { orderId: o.id, version: o.version, values: { requiredDeliveryDate: yesterday, orderQuantity: "3" } })).order;
    expect(o.fields).toMatchObject({ requiredDeliveryDate: yesterday, orderQuantity: 3 });
    // A new date in the past is an entry, and refused.
    const past = await saveFields(store, { orderId: o.id, version: o.version, values: { requiredDeliveryDate: inDays(-2) } });
    expect(!past.ok && past.fieldErrors).toEqual({ requiredDeliveryDate: ["The delivery date cannot be in the past"] });
    // The stored date counts as filled: Store Order completes, and dispatch decides anew.
    o = ok(await completeStage(store, { orderId: o.id, version: o.version, confirmOpenTodos: true })).order;
    expect(o).toMatchObject({ stage: "dispatchReceiving", state: "active" });
  });
});

describe("what completing a stage says", () => {
  test("it names the stage the order is held in, and says alerts were sent only when a rule told someone", async () => {
    const { automationRules } = await import("@/db/schema");
    const hold = async () => {
      const o = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving" });
      const done = ok(
        await saveAndCompleteStage(as("dispatch@example.com"), { orderId: o.id, version: o.version, values: { orderFeasibility: { decision: "notFeasible", reason: "No walnut" } }, confirmOpenTodos: true }),
      );
      return completionMessage(done.order, done.alerted);
    };
    // The feasibility alert is on (seeded): the store's managers are told, and the message says so.
    expect(await hold()).toMatch(/^Order put on hold in Receiving by Dispatch — \d+ alerts? sent$/);
    // Every rule off: no one is told, and the message does not pretend otherwise.
    await conn.db.update(automationRules).set({ enabled: false }).where(eq(automationRules.enabled, true));
    expect(await hold()).toBe("Order put on hold in Receiving by Dispatch");
    const moved = await orderIn(conn.db, { storeCode: "north", to: "dispatching" });
    expect(completionMessage({ ...moved, stage: "storeReceived" }, 0)).toBe("Stage completed: now in Store Received");
  });
});
