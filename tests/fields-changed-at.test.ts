import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { eq, sql } from "drizzle-orm";
import { type Connection, rowsOf } from "@/db/client";
import { type Order, orders } from "@/db/schema";
import { listOrders } from "@/db/queries/orders";
import { orderListSchema } from "@/lib/orders/filters";
import { completeStage, recordInspection, saveFields, toggleTodo } from "@/lib/orders/commands";
import { fieldsChangedAt } from "@/lib/orders/kernel";
import { type Actor, stage as stageDef, todoKey } from "@/lib/workflow";
import { testDatabase } from "./database";
import { orderIn, seedActors } from "./fixtures";

/**
 * orders.fields_changed_at, the stored "last production update" quality control's queue sorts
 * by: written by the command kernel with the fieldChanged events, it always equals what the
 * history says (the last field change of the current stage since the order entered it).
 */

let conn: Connection;
let actors: Record<string, Actor>;
const HOUR = 3600_000;

beforeAll(async () => {
  conn = await testDatabase();
  ({ actors } = await seedActors(conn.db));
});
afterAll(() => conn.close());

const load = async (id: number) => (await conn.db.select().from(orders).where(eq(orders.id, id)))[0];

/** Every order's stored value next to the one derived from its history; equal when the column is kept. */
const derivedFromHistory = async () =>
  rowsOf<{ id: number; stored: string; derived: string }>(
    await conn.db.execute(sql`
      select o.id, coalesce(o.fields_changed_at, o.stage_entered_at)::text as stored,
        greatest(o.stage_entered_at, (select max(h.at) from order_history h where h.order_id = o.id and h.kind = 'fieldChanged'
          and h.stage = o.stage and h.at >= o.stage_entered_at))::text as derived
      from orders o order by o.id`),
  );

async function expectMatchesHistory() {
  const rows = await derivedFromHistory();
  expect(rows.length).toBeGreaterThan(0);
  for (const r of rows) expect(r.stored, `order ${r.id}`).toBe(r.derived);
}

test("set by a field change of the current stage, kept by an inspection or a to-do, cleared by entering the next stage", async () => {
  const start = new Date(Date.now() - 48 * HOUR);
  let order: Order = await orderIn(conn.db, { storeCode: "north", to: "inProduction", startedAt: start });
  expect(order.fieldsChangedAt).toBeNull();
  const ctx = (email: string, at: Date) => ({ db: conn.db, actor: actors[email], now: at });
  const waiting = async () => (await listOrders(conn.db, actors["qc@example.com"], orderListSchema.parse({ view: "inspect" }))).rows.map((r) => r.id);
  expect(await waiting()).toContain(order.id);

  const t1 = new Date(Date.now() - 3 * HOUR);
  const saved = await saveFields(ctx("production@example.com", t1), { orderId: order.id, version: order.version, values: { completionPercentage: "40" } });
  expect(saved.ok).toBe(true);
  order = await load(order.id);
  expect(order.fieldsChangedAt).toEqual(t1);

  const t2 = new Date(Date.now() - 2 * HOUR);
  expect((await recordInspection(ctx("qc@example.com", t2), { orderId: order.id, version: order.version, qualityCheckResults: { result: "pass", notes: "" } })).ok).toBe(true);
  order = await load(order.id);
  expect(order.fieldsChangedAt).toEqual(t1);
  expect(await waiting()).not.toContain(order.id);

  const todo = todoKey("inProduction", stageDef("inProduction").todos[0].key);
  expect((await toggleTodo(ctx("production@example.com", new Date(Date.now() - 90 * 60_000)), { orderId: order.id, version: order.version, todo, done: true })).ok).toBe(true);
  order = await load(order.id);
  expect(order.fieldsChangedAt).toEqual(t1);
  expect(await waiting()).not.toContain(order.id);

  // Production updates it after the inspection: it waits again, sorted by that update.
  const t3 = new Date(Date.now() - HOUR);
  expect((await saveFields(ctx("production@example.com", t3), { orderId: order.id, version: order.version, values: { productionStatus: "completed", completionPercentage: "100" } })).ok).toBe(true);
  order = await load(order.id);
  expect(order.fieldsChangedAt).toEqual(t3);
  expect(await waiting()).toContain(order.id);
  await expectMatchesHistory();

  const t4 = new Date(Date.now() - 30 * 60_000);
  expect((await recordInspection(ctx("qc@example.com", t4), { orderId: order.id, version: order.version, qualityCheckResults: { result: "pass", notes: "" } })).ok).toBe(true);
  order = await load(order.id);
  for (const t of stageDef("inProduction").todos.slice(1)) {
    const r = await toggleTodo(ctx("production@example.com", t4), { orderId: order.id, version: order.version, todo: todoKey("inProduction", t.key), done: true });
    expect(r.ok).toBe(true);
    order = await load(order.id);
  }
  const completed = await completeStage(ctx("production@example.com", new Date(Date.now() - 20 * 60_000)), { orderId: order.id, version: order.version, confirmOpenTodos: true });
  expect(completed.ok).toBe(true);
  order = await load(order.id);
  expect(order.stage).toBe("dispatching");
  expect(order.fieldsChangedAt).toBeNull();
  await expectMatchesHistory();
});

test("orders driven through every stage: the stored value equals the history's, for each", async () => {
  await orderIn(conn.db, { storeCode: "south", to: "completed", startedAt: new Date(Date.now() - 300 * HOUR) });
  await orderIn(conn.db, { storeCode: "north", to: "dispatching", startedAt: new Date(Date.now() - 100 * HOUR) });
  await orderIn(conn.db, { storeCode: "south", to: "dispatchReceiving" });
  await expectMatchesHistory();
});

test("the migration's backfill computes the same values from the history", async () => {
  const before = await derivedFromHistory();
  const file = readFileSync(path.join("db", "migrations", "0012_backfill_fields_changed_weekly_histograms.sql"), "utf8");
  const backfill = file.split("--> statement-breakpoint")[0];
  await conn.db.transaction(async (tx) => {
    await tx.update(orders).set({ fieldsChangedAt: null }).where(sql`true`);
    await tx.execute(sql.raw(backfill));
  });
  expect(await derivedFromHistory()).toEqual(before);
  expect(before.every((r) => r.stored === r.derived)).toBe(true);
});

test("the kernel's rule: a field of the stage the order is in afterwards sets it, entering a stage without one clears it", () => {
  const now = new Date("2026-03-02T10:00:00Z");
  const order = { stage: "inProduction" as const };
  const field = { kind: "fieldChanged" as const, subject: "completionPercentage" };
  expect(fieldsChangedAt(order, { patch: {}, events: [field] }, now)).toEqual({ fieldsChangedAt: now });
  expect(fieldsChangedAt(order, { patch: {}, events: [{ kind: "todoChanged" }] }, now)).toEqual({});
  // A move: the fields saved with it belong to the stage left behind.
  expect(fieldsChangedAt(order, { patch: { stage: "dispatching", stageEnteredAt: now }, events: [field, { kind: "stageCompleted" }] }, now)).toEqual({ fieldsChangedAt: null });
  // Accepting a proposal: its field changes are written to Store Order while the order re-enters Dispatch.
  expect(
    fieldsChangedAt({ stage: "dispatchReceiving" }, { patch: { stage: "dispatchReceiving", stageEnteredAt: now }, events: [{ ...field, stage: "storeOrder" }] }, now),
  ).toEqual({ fieldsChangedAt: null });
  expect(fieldsChangedAt({ stage: "storeOrder" }, { patch: {}, events: [{ ...field, stage: "storeOrder" }] }, now)).toEqual({ fieldsChangedAt: now });
});
