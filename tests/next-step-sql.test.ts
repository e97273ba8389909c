import { afterAll, beforeAll, expect, test } from "vitest";
import { asc, desc, eq, inArray } from "drizzle-orm";
import type { Connection } from "@/db/client";
import { inspections, orders, stageEntries } from "@/db/schema";
import type { Order } from "@/db/schema";
import { detailStepFacts, nextStepColumns, stepFacts, stepKindSql } from "@/db/queries/next-step-sql";
import { myWork } from "@/db/queries/orders";
import { driveOrder } from "@/lib/demo/orders";
import { cancelOrder, completeStage, recordInspection, reviseOrder, saveFields } from "@/lib/orders/commands";
import { proposeAlternative } from "@/lib/orders/proposals";
import type { Result } from "@/lib/result";
import { type Actor, type StepKind, nextStep, queueStages, stepRank } from "@/lib/workflow";
import { testDatabase } from "./database";
import { type Actors, inDays, seedActors, seededFailReasons } from "./fixtures";

/**
 * nextStep's SQL twin (db/queries/next-step-sql.ts, which sorts "My work") held equal to the pure
 * function on orders in every situation nextStep tells apart, made through the real commands;
 * and "My work" equal to the obvious oracle: every open order, its step from nextStep, filtered
 * by role or assignment, sorted by stepRank then due.
 */

let conn: Connection;
let actors: Actors;
const expectedKinds = new Map<number, StepKind>();

function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r;
}

beforeAll(async () => {
  conn = await testDatabase();
  actors = (await seedActors(conn.db)).actors;
  const as = (email: string) => ({ db: conn.db, actor: actors[email] });
  const production = as("production@example.com");
  const qc = as("qc@example.com");
  const made = (o: Order, kind: StepKind) => expectedKinds.set(o.id, kind);
  const update = async (o: Order, values: Record<string, unknown>) => must(await saveFields(production, { orderId: o.id, version: o.version, values })).order;
  const inspect = async (o: Order, result: "pass" | "fail") => must(await recordInspection(qc, { orderId: o.id, version: o.version, qualityCheckResults: { result, notes: result === "fail" ? "Loose joint" : "" }, failReasons: [seededFailReasons.finish] })).order;
  const inProduction = () => driveOrder(conn.db, { storeCode: "north", to: "inProduction" });

  made(await driveOrder(conn.db, { storeCode: "north", to: "storeOrder" }), "draft");
  made(await driveOrder(conn.db, { storeCode: "south", to: "dispatchReceiving" }), "waiting");
  made(await inProduction(), "waiting");
  made(await update(await inProduction(), { productionStatus: "inProgress", completionPercentage: "40" }), "waiting");
  const complete = { productionStatus: "completed", completionPercentage: "100" };
  made(await update(await inProduction(), complete), "inspection");
  made(await inspect(await update(await inProduction(), complete), "fail"), "rework");
  made(await update(await inspect(await update(await inProduction(), complete), "fail"), { completionPercentage: "90", productionStatus: "inProgress" }), "rework");
  const reworked = await inspect(await update(await inProduction(), { productionStatus: "inProgress", completionPercentage: "90" }), "fail");
  made(await update(reworked, complete), "inspection");
  made(await inspect(await update(await inspect(await update(await inProduction(), complete), "fail"), complete), "pass"), "passed");
  made(await driveOrder(conn.db, { storeCode: "north", to: "dispatching" }), "waiting");
  made(await driveOrder(conn.db, { storeCode: "north", to: "storeReceived" }), "inTransit");
  made(await driveOrder(conn.db, { storeCode: "south", to: "storeReceived", startedAt: new Date(Date.now() - 12 * 86400_000) }), "receiptDue");
  // Held: with dispatch's proposal, without, and revised back to the store.
  const hold = async (storeCode: "north" | "south") => {
    const o = await driveOrder(conn.db, { storeCode, to: "dispatchReceiving" });
    const saved = must(await saveFields(as("dispatch@example.com"), { orderId: o.id, version: o.version, values: { orderFeasibility: { decision: "notFeasible", reason: "No capacity" } } })).order;
    return must(await completeStage(as("dispatch@example.com"), { orderId: saved.id, version: saved.version, confirmOpenTodos: true })).order;
  };
  const held = await hold("north");
  made(must(await proposeAlternative(as("dispatch@example.com"), { orderId: held.id, version: held.version, requiredDeliveryDate: inDays(60) })).order, "proposal");
  made(await hold("south"), "onHold");
  const toRevise = await hold("north");
  made(must(await reviseOrder(as("store.north@example.com"), { orderId: toRevise.id, version: toRevise.version })).order, "revised");
  made(await driveOrder(conn.db, { storeCode: "north", to: "completed" }), "completed");
  made(await driveOrder(conn.db, { storeCode: "north", to: "completed", received: "damaged" }), "completed");
  const toCancel = await inProduction();
  made(must(await cancelOrder(as("admin@example.com"), { orderId: toCancel.id, version: toCancel.version, reason: "Changed our mind" })).order, "cancelled");
  // Assigned to production though held by QC: it is production's work too.
  const assigned = await update(await inProduction(), complete);
  await conn.db.update(stageEntries).set({ assignedTo: actors["production@example.com"].id }).where(eq(stageEntries.orderId, assigned.id));
  made(assigned, "inspection");
}, 120_000);
afterAll(() => conn?.close());

async function readAll(now: Date) {
  return conn.db
    .select({ id: orders.id, stage: orders.stage, state: orders.state, stageDueAt: orders.stageDueAt, sqlKind: stepKindSql(now), ...nextStepColumns })
    .from(orders)
    .orderBy(asc(orders.id));
}

test("every situation is made as meant, and the SQL step, the list facts and the order page's facts agree with nextStep", async () => {
  const now = new Date();
  const rows = await readAll(now);
  expect(new Set(expectedKinds.values())).toEqual(new Set(["draft", "revised", "waiting", "rework", "inspection", "passed", "inTransit", "receiptDue", "proposal", "onHold", "completed", "cancelled"]));
  for (const row of rows) {
    const pure = nextStep(stepFacts(row), { now });
    const [order] = await conn.db.select().from(orders).where(eq(orders.id, row.id));
    const list = await conn.db.select({ result: inspections.result, createdAt: inspections.createdAt }).from(inspections).where(eq(inspections.orderId, row.id)).orderBy(desc(inspections.createdAt), desc(inspections.id));
    const page = nextStep(detailStepFacts(order, list), { now });
    expect({ id: row.id, sql: row.sqlKind, page: page.kind, label: page.label }, `order ${row.id}`).toEqual({ id: row.id, sql: pure.kind, page: pure.kind, label: pure.label });
    if (expectedKinds.has(row.id)) expect(pure.kind, `order ${row.id}`).toBe(expectedKinds.get(row.id));
  }
});

test("My work is every open order whose next step is the account's (or assigned to it), by step then due", async () => {
  const now = new Date();
  const rows = await readAll(now);
  const assignedIds = new Set(
    (await conn.db.select({ orderId: stageEntries.orderId }).from(stageEntries).where(inArray(stageEntries.assignedTo, [actors["production@example.com"].id]))).map((r) => r.orderId),
  );
  for (const email of ["store.north@example.com", "dispatch@example.com", "production@example.com", "qc@example.com"]) {
    const actor: Actor = actors[email];
    expect(queueStages(actor).length).toBeGreaterThan(0);
    const oracle = rows
      .filter((r) => r.state === "active" || r.state === "onHold")
      .map((r) => ({ r, step: nextStep(stepFacts(r), { now }) }))
      .filter(({ r, step }) => (step.role !== null && actor.roles.includes(step.role)) || (email === "production@example.com" && assignedIds.has(r.id)))
      .sort((a, b) => stepRank(a.step) - stepRank(b.step) || a.r.stageDueAt.getTime() - b.r.stageDueAt.getTime() || a.r.id - b.r.id)
      .map(({ r }) => r.id);
    const scoped = email.startsWith("store.") ? await storeScoped(oracle, actor) : oracle;
    const work = await myWork(conn.db, actor, now);
    expect(work.rows.map((r) => r.id), email).toEqual(scoped);
    expect(work.total, email).toBe(scoped.length);
  }
});

async function storeScoped(ids: number[], actor: Actor) {
  if (!ids.length) return ids;
  const own = new Set((await conn.db.select({ id: orders.id }).from(orders).where(inArray(orders.storeId, actor.storeIds))).map((r) => r.id));
  return ids.filter((id) => own.has(id));
}
