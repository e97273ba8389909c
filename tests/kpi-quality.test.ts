import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { type Connection, rowsOf } from "@/db/client";
import { auditLog, failReasons, inspectionFailReasons, inspections, orders } from "@/db/schema";
import { listConditions, listOrders } from "@/db/queries/orders";
import { driveOrder } from "@/lib/demo/orders";
import { archiveFailReason, createFailReason, updateFailReason } from "@/lib/fail-reasons/commands";
import { periodFilter } from "@/lib/kpi/filters";
import { exactKpiReport } from "@/lib/kpi/exact";
import { kpiReport } from "@/lib/kpi/queries";
import { rebuildKpiRollups } from "@/lib/kpi/rollups";
import { recordInspection } from "@/lib/orders/commands";
import { parseOrderList } from "@/lib/orders/filters";
import { rebuildOrderCounts } from "@/lib/orders/counts";
import { type StageKey, stage } from "@/lib/workflow";
import { type Actors, seedActors, seededFailReasons as R } from "./fixtures";
import { testDatabase } from "./database";

/**
 * Quality by reason (SPEC.md, KPI page; decision 029) on a hand-computed fixture of seven orders
 * around March 2025, each figure worked out below by hand, from the rollups and from the exact
 * SQL; then the commands that keep the rollups, and the fail reasons' own rules.
 *
 *  key  store  state      received    condition           inspections (UTC) and the reasons of the failed ones
 *  q1   north  completed  03-05       good                pass 03-03
 *  q2   north  completed  03-10       damaged             fail 03-06 [finish], fail 03-07 [finish, dimensions], pass 03-08
 *  q3   south  completed  03-20       wrongSpecification  fail 03-15 [other: "Wrong veneer"], pass 03-16
 *  q4   south  completed  03-25       minorDamage         pass 03-22
 *  q5   north  active (inProduction)                      fail 03-28 [finish]
 *  q6   north  completed  02-20       good                fail 02-15 [material], pass 02-16
 *  q7   south  completed  03-02       good                fail 02-27 [dimensions], pass 02-28
 *
 * March, every store. Received in March: q1, q2, q3, q4, q7 (5).
 * - First-pass yield: never failed: q1, q4 → 2 / 5 = 40 %.
 * - Reworks per order: q2 2 + q3 1 + q7 1 (its fail was in February: it is the order's) → 4 / 5 = 0.8.
 * - Received damaged or wrong: q2, q3 → 2 / 5 = 40 %.
 * - Fail reasons recorded in March: finish 3 (q2 twice, q5), dimensions 1 (q2), other 1 (q3);
 *   q6's material and q7's dimensions were in February. Running share 60 %, 80 %, 100 %.
 * South's manager, March: q3, q4, q7 → yield 1 / 3, reworks 2 / 3, damaged or wrong 1 / 3; other 1.
 * Weeks (Monday, UTC) received: 24 Feb q7 (failed: yield 0, 1 rework), 3 Mar q1 (yield 1),
 * 10 Mar q2 (yield 0, 2 reworks, damaged), 17 Mar q3 (yield 0, 1 rework, wrong), 24 Mar q4 (yield 1), 31 Mar none.
 */

const MARCH = periodFilter("custom", "2025-03-01", "2025-03-31");
const t = (s: string) => new Date(`2025-${s}T09:00:00Z`);

type Fixture = { store: "north" | "south"; received?: string; condition?: "good" | "minorDamage" | "damaged" | "wrongSpecification"; inspections: [string, "pass" | "fail", number[]?, string?][] };
const fixture: Record<string, Fixture> = {
  q1: { store: "north", received: "03-05", condition: "good", inspections: [["03-03", "pass"]] },
  q2: { store: "north", received: "03-10", condition: "damaged", inspections: [["03-06", "fail", [R.finish]], ["03-07", "fail", [R.finish, R.dimensions]], ["03-08", "pass"]] },
  q3: { store: "south", received: "03-20", condition: "wrongSpecification", inspections: [["03-15", "fail", [R.other], "Wrong veneer"], ["03-16", "pass"]] },
  q4: { store: "south", received: "03-25", condition: "minorDamage", inspections: [["03-22", "pass"]] },
  q5: { store: "north", inspections: [["03-28", "fail", [R.finish]]] },
  q6: { store: "north", received: "02-20", condition: "good", inspections: [["02-15", "fail", [R.material]], ["02-16", "pass"]] },
  q7: { store: "south", received: "03-02", condition: "good", inspections: [["02-27", "fail", [R.dimensions]], ["02-28", "pass"]] },
};

let conn: Connection;
let actors: Actors;
const id: Record<string, number> = {};

beforeAll(async () => {
  conn = await testDatabase();
  let storeIds: { north: number; south: number };
  ({ actors, storeIds } = await seedActors(conn.db));
  for (const [key, f] of Object.entries(fixture)) {
    const stageKey: StageKey = f.received ? "storeReceived" : "inProduction";
    const entered = t(f.received ?? "03-25");
    const [row] = await conn.db
      .insert(orders)
      .values({
        storeId: storeIds[f.store],
        stage: stageKey,
        state: f.received ? "completed" : "active",
        stageEnteredAt: entered,
        stageDueAt: new Date(entered.getTime() + stage(stageKey).target.dueAfterMs),
        productSummary: `Quality fixture ${key}`,
        fields: f.condition ? { productCondition: f.condition } : {},
        submittedAt: new Date(entered.getTime() - 5 * 86_400_000),
        receivedAt: f.received ? t(f.received) : null,
      })
      .returning({ id: orders.id });
    id[key] = row.id;
    for (const [at, result, reasons = [], note] of f.inspections) {
      const [inspection] = await conn.db.insert(inspections).values({ orderId: row.id, result, notes: result === "fail" ? "Fixture fail" : "", createdAt: t(at) }).returning({ id: inspections.id });
      for (const reasonId of reasons) {
        await conn.db.insert(inspectionFailReasons).values({ inspectionId: inspection.id, reasonId, orderId: row.id, createdAt: t(at), note: reasonId === R.other ? note : null });
      }
    }
  }
  await conn.db.transaction(async (tx) => {
    await rebuildKpiRollups(tx);
    await rebuildOrderCounts(tx);
  });
});
afterAll(() => conn.close());

const ops = () => actors["ops@example.com"];
const south = () => actors["store.south@example.com"];

describe("the hand-computed fixture, from the rollups and from the exact SQL", () => {
  for (const [name, report] of [
    ["rollups", kpiReport],
    ["exact SQL", exactKpiReport],
  ] as const) {
    test(`${name}: first-pass yield, reworks per order, received damaged or wrong`, async () => {
      const r = await report(conn.db, ops(), MARCH);
      expect(r.firstPassYield).toMatchObject({ value: 0.4, firstPass: 2, counted: 5, of: 5, state: null });
      expect(r.reworksPerOrder).toMatchObject({ value: 0.8, reworks: 4, of: 5 });
      expect(r.receivedBad).toMatchObject({ value: 0.4, bad: 2, of: 5 });
      const s = await report(conn.db, south(), MARCH);
      expect([s.firstPassYield.value, s.reworksPerOrder.value, s.receivedBad.value]).toEqual([1 / 3, 2 / 3, 1 / 3]);
    });

    test(`${name}: the Pareto of fail reasons, most first, with the running share`, async () => {
      const { failReasons: pareto } = await report(conn.db, ops(), MARCH);
      expect(pareto.total).toBe(5);
      expect(pareto.bars.map((b) => [b.label, b.failed, b.cumulative])).toEqual([
        ["Finish", 3, 0.6],
        ["Dimensions", 1, 0.8],
        ["Other", 1, 1],
      ]);
      expect((await report(conn.db, south(), MARCH)).failReasons.bars.map((b) => [b.label, b.failed])).toEqual([["Other", 1]]);
    });

    test(`${name}: the weekly trend of the delivery cohort, every week the period touches`, async () => {
      const weeks = (await report(conn.db, ops(), MARCH)).deliveryTrend;
      expect(weeks.map((w) => [w.week, w.received, w.firstPassYield, w.reworksPerOrder, w.receivedBad])).toEqual([
        ["2025-02-24", 1, 0, 1, 0],
        ["2025-03-03", 1, 1, 0, 0],
        ["2025-03-10", 1, 0, 2, 1],
        ["2025-03-17", 1, 0, 1, 1],
        ["2025-03-24", 1, 1, 0, 0],
        ["2025-03-31", 0, null, null, null],
      ]);
      // Each fixture order took five days, submitted → received.
      expect(weeks.slice(0, 5).every((w) => Math.abs(w.productionDays! - 5) < 1e-9)).toBe(true);
      expect(weeks[5].productionDays).toBeNull();
    });
  }

  test("a Pareto bar's orders: the list filtered by fail reason and period, in the account's scope", async () => {
    const listed = async (actor = ops(), raw: Record<string, string> = {}) =>
      (await listOrders(conn.db, actor, parseOrderList({ view: "all", state: "any", failedFrom: "2025-03-01", failedTo: "2025-03-31", ...raw }))).rows.map((r) => r.id).sort((a, b) => a - b);
    expect(await listed(ops(), { failReason: String(R.finish) })).toEqual([id.q2, id.q5]);
    expect(await listed(ops(), { failReason: String(R.dimensions) })).toEqual([id.q2]);
    // q7 failed for dimensions in February: outside the period, though received in March.
    expect(await listed(ops(), { failReason: String(R.dimensions), failedFrom: "2025-02-01" })).toEqual([id.q2, id.q7]);
    expect(await listed(south(), { failReason: String(R.finish) })).toEqual([]);
    expect(await listed(south(), { failReason: String(R.other) })).toEqual([id.q3]);
    // The count agrees with counting the orders under the same condition.
    const where = listConditions(ops(), parseOrderList({ view: "all", state: "any", failReason: String(R.finish), failedFrom: "2025-03-01", failedTo: "2025-03-31" }), new Date());
    const [{ n }] = await conn.db.select({ n: sql<number>`count(*)::int` }).from(orders).where(where);
    expect((await listOrders(conn.db, ops(), parseOrderList({ view: "all", state: "any", failReason: String(R.finish), failedFrom: "2025-03-01", failedTo: "2025-03-31" }))).total).toBe(n);
  });
});

describe("the commands keep the new rollups in their transaction", () => {
  test("a failed inspection for finish and other, then a damaged receipt: the same as a rebuild and as the exact SQL", async () => {
    const db = conn.db;
    const day = (ago: number) => new Date(Date.now() - ago * 86_400_000).toISOString().slice(0, 10);
    // The orders start five days ago and take about three through their stages.
    const now = periodFilter("custom", day(10), day(0));
    const startedAt = new Date(Date.now() - 5 * 86_400_000);
    const before = await kpiReport(db, ops(), now);
    await driveOrder(db, { storeCode: "north", to: "completed", failedFor: [R.finish, R.other], received: "damaged", startedAt });
    await driveOrder(db, { storeCode: "south", to: "completed", startedAt });
    const rework = await driveOrder(db, { storeCode: "south", to: "inProduction" });
    const qc = { db, actor: actors["qc@example.com"] };
    expect((await recordInspection(qc, { orderId: rework.id, version: rework.version, qualityCheckResults: { result: "fail", notes: "Edges chipped" }, failReasons: [String(R.damageInHandling)] })).ok).toBe(true);

    const after = await kpiReport(db, ops(), now);
    const exact = await exactKpiReport(db, ops(), now);
    for (const key of ["firstPassYield", "reworksPerOrder", "receivedBad", "failReasons", "deliveryTrend"] as const) expect(after[key]).toEqual(exact[key]);
    expect(after.firstPassYield.of - before.firstPassYield.of).toBe(2);
    expect(after.firstPassYield.firstPass - before.firstPassYield.firstPass).toBe(1);
    expect(after.reworksPerOrder.reworks - before.reworksPerOrder.reworks).toBe(1);
    expect(after.receivedBad.bad - before.receivedBad.bad).toBe(1);
    const count = (r: typeof after, label: string) => r.failReasons.bars.find((b) => b.label === label)?.failed ?? 0;
    expect([count(after, "Finish") - count(before, "Finish"), count(after, "Other") - count(before, "Other"), count(after, "Damage in handling") - count(before, "Damage in handling")]).toEqual([1, 1, 1]);

    const snapshot = async () => ({
      daily: rowsOf(await db.execute(sql`select day, store_id, completed, first_pass, reworks_of_received, received_bad, first_inspected, failed_inspections from kpi_daily order by 1, 2`)),
      reasons: rowsOf(await db.execute(sql`select day, store_id, reason_id, failed from kpi_fail_reasons_daily where failed > 0 order by 1, 2, 3`)),
    });
    const incremental = await snapshot();
    await db.transaction((tx) => rebuildKpiRollups(tx));
    expect(await snapshot()).toEqual(incremental);
  });
});

describe("a failed inspection names its reasons", () => {
  const inProduction = () => driveOrder(conn.db, { storeCode: "north", to: "inProduction" });
  const qc = () => ({ db: conn.db, actor: actors["qc@example.com"] });

  test("a fail without a reason, an 'other' without a note and an archived reason are refused beside the field; nothing is written", async () => {
    const order = await inProduction();
    const fail = { result: "fail" as const, notes: "Scratched top" };
    const none = await recordInspection(qc(), { orderId: order.id, version: order.version, qualityCheckResults: fail });
    expect(none).toMatchObject({ ok: false, fieldErrors: { failReasons: ["Choose at least one fail reason"] } });
    const noNote = await recordInspection(qc(), { orderId: order.id, version: order.version, qualityCheckResults: fail, failReasons: [String(R.other)], failReasonNote: "  " });
    expect(noNote).toMatchObject({ ok: false, fieldErrors: { failReasonNote: ["Say what the other reason was"] } });
    const unknown = await recordInspection(qc(), { orderId: order.id, version: order.version, qualityCheckResults: fail, failReasons: ["999999"] });
    expect(unknown).toMatchObject({ ok: false, fieldErrors: { failReasons: [expect.stringMatching(/^Choose a fail reason from the list/)] } });
    expect(await conn.db.select().from(inspections).where(eq(inspections.orderId, order.id))).toEqual([]);

    const ok = await recordInspection(qc(), { orderId: order.id, version: order.version, qualityCheckResults: fail, failReasons: [String(R.other), String(R.finish), String(R.finish)], failReasonNote: "Wrong hinges fitted" });
    expect(ok.ok).toBe(true);
    const named = await conn.db.select({ reasonId: inspectionFailReasons.reasonId, note: inspectionFailReasons.note }).from(inspectionFailReasons).where(eq(inspectionFailReasons.orderId, order.id)).orderBy(inspectionFailReasons.reasonId);
    expect(named).toEqual([
      { reasonId: R.finish, note: null },
      { reasonId: R.other, note: "Wrong hinges fitted" },
    ]);
  });

  test("a pass names no reason, whatever was ticked", async () => {
    const order = await inProduction();
    const r = await recordInspection(qc(), { orderId: order.id, version: order.version, qualityCheckResults: { result: "pass", notes: "" }, failReasons: [String(R.finish)] });
    expect(r.ok).toBe(true);
    expect(await conn.db.select().from(inspectionFailReasons).where(eq(inspectionFailReasons.orderId, order.id))).toEqual([]);
  });

  test("administrators add, rename and archive reasons, audited; an archived one is no longer accepted, and its past inspections keep it", async () => {
    const admin = { db: conn.db, actor: actors["admin@example.com"] };
    const added = await createFailReason(admin, { label: "Colour mismatch" });
    expect(added.ok).toBe(true);
    if (!added.ok) return;
    expect(await createFailReason(admin, { label: "colour MISMATCH" })).toMatchObject({ ok: false, fieldErrors: { label: ["A reason with this name already exists"] } });
    expect(await updateFailReason(admin, { reasonId: added.reason.id, label: "Finish" })).toMatchObject({ ok: false, fieldErrors: { label: ["A reason with this name already exists"] } });
    expect((await updateFailReason(admin, { reasonId: added.reason.id, label: "Colour off", needsNote: "on" })).ok).toBe(true);

    const order = await inProduction();
    const fail = { result: "fail" as const, notes: "Not the agreed colour" };
    const first = await recordInspection(qc(), { orderId: order.id, version: order.version, qualityCheckResults: fail, failReasons: [String(added.reason.id)] });
    expect(first).toMatchObject({ ok: false, fieldErrors: { failReasonNote: ["Say what the other reason was"] } });
    const recorded = await recordInspection(qc(), { orderId: order.id, version: order.version, qualityCheckResults: fail, failReasons: [String(added.reason.id)], failReasonNote: "RAL 7016 asked" });
    expect(recorded.ok).toBe(true);
    if (!recorded.ok) return;

    expect((await archiveFailReason(admin, { reasonId: added.reason.id, archived: "on" })).ok).toBe(true);
    const refused = await recordInspection(qc(), { orderId: order.id, version: recorded.order.version, qualityCheckResults: fail, failReasons: [String(added.reason.id)], failReasonNote: "Again" });
    expect(refused).toMatchObject({ ok: false, fieldErrors: { failReasons: [expect.stringMatching(/archived/)] } });
    expect(await conn.db.select().from(inspectionFailReasons).where(eq(inspectionFailReasons.reasonId, added.reason.id))).toHaveLength(1);
    expect((await archiveFailReason(admin, { reasonId: added.reason.id, archived: "false" })).ok).toBe(true);

    const kinds = (await conn.db.select({ kind: auditLog.kind }).from(auditLog).where(and(eq(auditLog.actorId, admin.actor.id), sql`${auditLog.kind} like 'failReason%'`)).orderBy(auditLog.id)).map((r) => r.kind);
    expect(kinds).toEqual(["failReasonCreated", "failReasonChanged", "failReasonArchived", "failReasonRestored"]);
  });

  test("the last open reason cannot be archived: a failed inspection must be able to name one", async () => {
    const admin = { db: conn.db, actor: actors["admin@example.com"] };
    await conn.db.transaction(async (tx) => {
      const ctx = { db: tx, actor: admin.actor };
      const open = await tx.select({ id: failReasons.id }).from(failReasons).where(sql`${failReasons.archivedAt} is null`);
      for (const r of open.slice(1)) expect((await archiveFailReason(ctx, { reasonId: r.id, archived: "on" })).ok).toBe(true);
      expect(await archiveFailReason(ctx, { reasonId: open[0].id, archived: "on" })).toMatchObject({ ok: false, formError: expect.stringMatching(/at least one/) });
      tx.rollback();
    }).catch((e: unknown) => {
      if (!(e instanceof Error && /rollback/i.test(e.message))) throw e;
    });
  });
});
