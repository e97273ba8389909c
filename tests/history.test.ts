import { afterAll, beforeAll, expect, test } from "vitest";
import { eq, sql } from "drizzle-orm";
import type { Connection } from "@/db/client";
import { orderHistory } from "@/db/schema";
import { addAttachments, cancelOrder, completeStage, createOrder, recordInspection, saveFields, toggleTodo } from "@/lib/orders/commands";
import { testDatabase } from "./database";
import { type Actors, historyOf, inDays, orderIn, pdfFile, seedActors, seededFailReasons } from "./fixtures";

let conn: Connection;
let actors: Actors;
let north: number;
beforeAll(async () => {
  conn = await testDatabase();
  const seeded = await seedActors(conn.db);
  actors = seeded.actors;
  north = seeded.storeIds.north;
});
afterAll(() => conn.close());

test("every action leaves exactly its event: who, when, what, before and after", async () => {
  const manager = { db: conn.db, actor: actors["store.north@example.com"] };
  const created = await createOrder(manager, { storeId: north, productSpecifications: "History check: two lamps", orderQuantity: 2, requiredDeliveryDate: inDays(9) });
  if (!created.ok) throw new Error("create failed");
  let o = created.order;
  const steps: [string, () => Promise<{ ok: boolean; order?: typeof o }>][] = [
    ["fieldChanged", () => saveFields(manager, { orderId: o.id, version: o.version, values: { orderQuantity: "3" } })],
    ["todoChanged", () => toggleTodo(manager, { orderId: o.id, version: o.version, todo: "storeOrder.submitSpecifications", done: true })],
    ["attachmentAdded", () => addAttachments(manager, { orderId: o.id, version: o.version, attachments: [pdfFile("lamp.pdf")] })],
    ["stageCompleted", () => completeStage(manager, { orderId: o.id, version: o.version, confirmOpenTodos: true })],
  ];
  expect((await historyOf(conn.db, o.id)).map((e) => e.kind)).toEqual(["created"]);
  for (const [kind, step] of steps) {
    const before = (await historyOf(conn.db, o.id)).length;
    const r = await step();
    if (!r.ok || !r.order) throw new Error(`${kind} step failed`);
    o = r.order;
    const events = await historyOf(conn.db, o.id);
    expect(events.length - before).toBe(1);
    const e = events.at(-1)!;
    expect(e.kind).toBe(kind);
    expect(e.actorId).toBe(actors["store.north@example.com"].id);
    expect(e.version).toBe(o.version);
    expect(e.at).toBeInstanceOf(Date);
  }
  const change = (await historyOf(conn.db, o.id)).find((e) => e.kind === "fieldChanged")!;
  expect([change.subject, change.before, change.after]).toEqual(["orderQuantity", 2, 3]);

  // A refused action leaves nothing.
  const count = (await historyOf(conn.db, o.id)).length;
  const refused = await saveFields({ db: conn.db, actor: actors["qc@example.com"] }, { orderId: o.id, version: o.version, values: { specialRequirements: "QC may not" } });
  expect(refused.ok).toBe(false);
  expect(await historyOf(conn.db, o.id)).toHaveLength(count);
});

test("inspections and cancellations are recorded with their details", async () => {
  let o = await orderIn(conn.db, { storeCode: "north", to: "inProduction" });
  const r = await recordInspection({ db: conn.db, actor: actors["qc@example.com"] }, { orderId: o.id, version: o.version, qualityCheckResults: { result: "fail", notes: "Colour off" }, failReasons: [seededFailReasons.finish] });
  if (!r.ok) throw new Error("inspection failed");
  o = r.order;
  const c = await cancelOrder({ db: conn.db, actor: actors["admin@example.com"] }, { orderId: o.id, version: o.version, reason: "Duplicate order" });
  expect(c.ok).toBe(true);
  const events = (await historyOf(conn.db, o.id)).slice(-2);
  expect(events.map((e) => [e.kind, e.after])).toEqual([
    ["inspectionRecorded", { result: "fail", notes: "Colour off" }],
    ["cancelled", { state: "cancelled" }],
  ]);
  expect(events[1].note).toBe("Duplicate order");
});

test("the database refuses UPDATE and DELETE on the history", async () => {
  const [event] = await conn.db.select().from(orderHistory).limit(1);
  await expect(conn.db.update(orderHistory).set({ note: "rewritten" }).where(eq(orderHistory.id, event.id))).rejects.toThrow();
  await expect(conn.db.delete(orderHistory).where(eq(orderHistory.id, event.id))).rejects.toThrow();
  await expect(conn.db.execute(sql`truncate order_history cascade`)).rejects.toThrow();
  const [still] = await conn.db.select().from(orderHistory).where(eq(orderHistory.id, event.id));
  expect(still.note).toBe(event.note);
});

test("saving an object-valued field unchanged is no change: no new version, no event", async () => {
  const o = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving" });
  const dispatch = { db: conn.db, actor: actors["dispatch@example.com"] };
  const values = { orderFeasibility: { decision: "feasible", reason: "" }, productionSchedule: { start: inDays(1), end: inDays(3), confirmed: "on" }, specialRequirements: "Keep dry" };
  const first = await saveFields(dispatch, { orderId: o.id, version: o.version, values });
  if (!first.ok) throw new Error("first save failed");
  const events = (await historyOf(conn.db, o.id)).length;
  const again = await saveFields(dispatch, { orderId: o.id, version: first.order.version, values });
  expect(again.ok).toBe(true);
  if (!again.ok) return;
  expect(again.changed).toEqual([]);
  expect(again.order.version).toBe(first.order.version);
  expect(await historyOf(conn.db, o.id)).toHaveLength(events);
});
