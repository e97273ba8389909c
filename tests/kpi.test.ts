import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Connection } from "@/db/client";
import { inspections, orders, stageEntries } from "@/db/schema";
import { kpiCsv } from "@/lib/kpi/export";
import { periodFilter } from "@/lib/kpi/filters";
import { exactKpiReport } from "@/lib/kpi/exact";
import { kpiReport } from "@/lib/kpi/queries";
import { rebuildKpiRollups } from "@/lib/kpi/rollups";
import { rebuildOrderCounts } from "@/lib/orders/counts";
import { type StageKey, formatOrderNumber, stage } from "@/lib/workflow";
import { type Actors, seedActors } from "./fixtures";
import { testDatabase } from "./database";

/**
 * A hand-computed fixture of thirteen orders in March 2025 (and a few things around it), with
 * every expected figure worked out below by hand. "Now" is 31 March 2025, noon UTC.
 *
 *  key  store  state      submitted        received         required  rating  inspections (UTC)
 *  o1   north  completed  03-01 10:00      03-06 10:00 (5d)  03-06    5       pass 03-04
 *  o2   north  completed  03-02 00:00      03-09 00:00 (7d)  03-08    4       fail 03-05, pass 03-07
 *  o3   north  completed  03-03 12:00      03-07 12:00 (4d)  03-10    —       pass 03-05
 *  o4   north  completed  03-10 00:00      03-15 23:00 (143h) 03-15   2       —
 *  o5   south  completed  03-12 00:00      03-20 00:00 (8d)  03-25    3       fail 03-15, fail 03-16, pass 03-17
 *  o6   south  completed  03-14 00:00      03-19 00:00 (5d)  —        5       fail + pass both at 03-16 12:00 (fail has the lower id)
 *  o7   south  completed  —                03-21 00:00       03-22    4       —
 *  o8   north  completed  02-01 …          02-10 (February)  02-12    5       pass 02-08
 *  o9   north  active, inProduction since 03-25 (due 03-30: overdue)          pass 03-28
 *  o10  south  active, inProduction since 02-20 (due 02-25: overdue)          fail 02-25, pass 03-02
 *  o11  north  cancelled
 *  o12  south  onHold (dispatchReceiving)
 *  o13  north  active, storeOrder since 03-31 10:00 (due 14:00: on track)
 */

const NOW = new Date("2025-03-31T12:00:00Z");
const MARCH = periodFilter("custom", "2025-03-01", "2025-03-31");
const H = 3600_000;
const t = (s: string) => new Date(`2025-${s}:00Z`);

let conn: Connection;
let actors: Actors;
let storeIds: { north: number; south: number };
const id: Record<string, number> = {};

type Fixture = {
  store: "north" | "south";
  state: "active" | "completed" | "cancelled" | "onHold";
  stage?: StageKey;
  enteredAt?: string;
  submitted?: string;
  received?: string;
  required?: string;
  rating?: number;
  inspections?: [string, "pass" | "fail"][];
  /** [stage, entered, hours]: completed stage entries. */
  entries?: [StageKey, string, number][];
};

const fixture: Record<string, Fixture> = {
  o1: { store: "north", state: "completed", submitted: "03-01T10:00", received: "03-06T10:00", required: "2025-03-06", rating: 5, inspections: [["03-04T09:00", "pass"]], entries: [["storeOrder", "03-01T08:00", 2], ["dispatchReceiving", "03-01T10:00", 1], ["inProduction", "03-01T11:00", 100]] },
  o2: { store: "north", state: "completed", submitted: "03-02T00:00", received: "03-09T00:00", required: "2025-03-08", rating: 4, inspections: [["03-05T09:00", "fail"], ["03-07T09:00", "pass"]], entries: [["storeOrder", "03-01T18:00", 6], ["dispatchReceiving", "03-02T00:00", 1], ["inProduction", "03-02T01:00", 130], ["dispatching", "03-07T11:00", 30]] },
  o3: { store: "north", state: "completed", submitted: "03-03T12:00", received: "03-07T12:00", required: "2025-03-10", inspections: [["03-05T10:00", "pass"]] },
  o4: { store: "north", state: "completed", submitted: "03-10T00:00", received: "03-15T23:00", required: "2025-03-15", rating: 2 },
  o5: { store: "south", state: "completed", submitted: "03-12T00:00", received: "03-20T00:00", required: "2025-03-25", rating: 3, inspections: [["03-15T09:00", "fail"], ["03-16T09:00", "fail"], ["03-17T09:00", "pass"]], entries: [["storeOrder", "03-11T21:00", 3], ["dispatchReceiving", "03-12T00:00", 2]] },
  o6: { store: "south", state: "completed", submitted: "03-14T00:00", received: "03-19T00:00", rating: 5, inspections: [["03-16T12:00", "fail"], ["03-16T12:00", "pass"]] },
  o7: { store: "south", state: "completed", received: "03-21T00:00", required: "2025-03-22", rating: 4 },
  o8: { store: "north", state: "completed", submitted: "02-05T00:00", received: "02-10T00:00", required: "2025-02-12", rating: 5, inspections: [["02-08T00:00", "pass"]], entries: [["storeOrder", "02-01T00:00", 1]] },
  o9: { store: "north", state: "active", stage: "inProduction", enteredAt: "03-25T00:00", submitted: "03-24T00:00", required: "2025-04-10", inspections: [["03-28T00:00", "pass"]] },
  o10: { store: "south", state: "active", stage: "inProduction", enteredAt: "02-20T00:00", submitted: "02-19T00:00", required: "2025-04-10", inspections: [["02-25T00:00", "fail"], ["03-02T00:00", "pass"]] },
  o11: { store: "north", state: "cancelled", stage: "storeOrder", enteredAt: "03-20T00:00", required: "2025-04-10", entries: [["storeOrder", "03-20T00:00", 10]] },
  o12: { store: "south", state: "onHold", stage: "dispatchReceiving", enteredAt: "03-29T00:00", submitted: "03-29T00:00", required: "2025-04-10" },
  o13: { store: "north", state: "active", stage: "storeOrder", enteredAt: "03-31T10:00", required: "2025-04-20" },
};

beforeAll(async () => {
  conn = await testDatabase();
  ({ actors, storeIds } = await seedActors(conn.db));
  for (const [key, f] of Object.entries(fixture)) {
    const stageKey = f.stage ?? "storeReceived";
    const entered = f.enteredAt ? t(f.enteredAt) : new Date(t(f.received!).getTime() - H);
    const [row] = await conn.db
      .insert(orders)
      .values({
        storeId: storeIds[f.store],
        stage: stageKey,
        state: f.state,
        stageEnteredAt: entered,
        stageDueAt: new Date(entered.getTime() + stage(stageKey).target.dueAfterMs),
        productSummary: `Fixture ${key}`,
        requiredDeliveryDate: f.required ?? null,
        createdAt: new Date(entered.getTime() - 24 * H),
        submittedAt: f.submitted ? t(f.submitted) : null,
        receivedAt: f.received ? t(f.received) : null,
        customerRating: f.rating ?? null,
      })
      .returning({ id: orders.id });
    id[key] = row.id;
    // One at a time, so ids follow the listed order (the o6 tie is broken by id).
    for (const [at, result] of f.inspections ?? []) await conn.db.insert(inspections).values({ orderId: row.id, result, createdAt: t(at) });
    for (const [s, at, hours] of f.entries ?? []) {
      const enteredAt = t(at);
      await conn.db.insert(stageEntries).values({
        orderId: row.id,
        stage: s,
        enteredAt,
        dueAt: new Date(enteredAt.getTime() + stage(s).target.dueAfterMs),
        completedAt: new Date(enteredAt.getTime() + hours * H),
      });
    }
  }
  // The fixture is written straight into the tables, past the commands that keep the rollups and counters.
  await conn.db.transaction(async (tx) => {
    await rebuildKpiRollups(tx);
    await rebuildOrderCounts(tx);
  });
});
afterAll(() => conn.close());

const ops = () => actors["ops@example.com"];
const south = () => actors["store.south@example.com"];
const hours = (h: number) => h * H;

async function csvOf(actor = ops(), filter = MARCH) {
  let text = "";
  for await (const chunk of kpiCsv(conn.db, actor, filter)) text += chunk;
  const [head, ...rows] = text.trimEnd().split("\n").map((l) => l.split(","));
  return rows.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}

describe("each figure against the hand-computed fixture (March, all stores)", () => {
  test("average production time, median and 90th percentile: o1–o6, o7 left out for want of a submission time", async () => {
    const { productionTime } = await kpiReport(conn.db, ops(), MARCH, NOW);
    // Days: o1 5, o2 7, o3 4, o4 143/24, o5 8, o6 5 → sorted 4, 5, 5, 5.958, 7, 8.
    expect(productionTime.counted).toBe(6);
    expect(productionTime.of).toBe(7);
    expect(productionTime.value).toBeCloseTo((5 + 7 + 4 + 143 / 24 + 8 + 5) / 6, 9);
    expect(productionTime.median).toBeCloseTo((5 + 143 / 24) / 2, 9);
    expect(productionTime.p90).toBeCloseTo(7.5, 9); // position 0.9 × 5 = 4.5: halfway from 7 to 8
    expect(productionTime.state).toBe("green"); // 5.83 days, within 5–7
  });

  test("on-time delivery: received on the required date counts, a UTC late hour too; o6 has no date and is left out", async () => {
    const { onTime } = await kpiReport(conn.db, ops(), MARCH, NOW);
    // On time: o1 (on the date), o3, o4 (23:00 on the date), o5, o7. Late: o2 (a day after).
    expect(onTime.onTime).toBe(5);
    expect(onTime.counted).toBe(6);
    expect(onTime.of).toBe(7);
    expect(onTime.value).toBeCloseTo(5 / 6, 12);
    expect(onTime.state).toBe("red"); // 83.3 % < 85 %
  });

  test("quality: first inspection of orders first inspected in March, ties by id; reworks are March's failed inspections", async () => {
    const { quality } = await kpiReport(conn.db, ops(), MARCH, NOW);
    // Cohort: o1 pass, o2 fail, o3 pass, o5 fail, o6 fail (tie, lower id), o9 pass. o10 was first inspected in February.
    expect(quality.counted).toBe(6);
    expect(quality.passed).toBe(3);
    expect(quality.value).toBe(0.5);
    // Fails in March: o2 ×1, o5 ×2, o6 ×1 (o10's fail was in February).
    expect(quality.reworks).toBe(4);
    expect(quality.state).toBe("red");
  });

  test("customer satisfaction: the mean of six ratings, o3 unrated", async () => {
    const { satisfaction } = await kpiReport(conn.db, ops(), MARCH, NOW);
    expect(satisfaction.counted).toBe(6);
    expect(satisfaction.of).toBe(7);
    expect(satisfaction.value).toBeCloseTo((5 + 4 + 2 + 3 + 5 + 4) / 6, 12);
    expect(satisfaction.state).toBe("red"); // 3.83 < 4.2
  });

  test("time in each stage: average, 90th percentile, late entries, state and the bottleneck", async () => {
    const { stageTimes } = await kpiReport(conn.db, ops(), MARCH, NOW);
    const by = Object.fromEntries(stageTimes.stages.map((s) => [s.stage, s]));
    // Store Order: o1 2 h, o2 6 h (late), o5 3 h; o11 is cancelled, o8's was in February.
    expect(by.storeOrder).toMatchObject({ entries: 3, late: 1, state: "amber" });
    expect(by.storeOrder.avgMs).toBeCloseTo(hours(11 / 3), 3);
    expect(by.storeOrder.p90Ms).toBeCloseTo(hours(3 + 0.8 * 3), 3);
    // Receiving: 1 h, 1 h, and o5's exactly 2 h, which is on time.
    expect(by.dispatchReceiving).toMatchObject({ entries: 3, late: 0, state: "green" });
    expect(by.dispatchReceiving.avgMs).toBeCloseTo(hours(4 / 3), 3);
    expect(by.dispatchReceiving.p90Ms).toBeCloseTo(hours(1.8), 3);
    // Production: 100 h and 130 h (late); o9's open entry does not count.
    expect(by.inProduction).toMatchObject({ entries: 2, late: 1, lateRate: 0.5, state: "amber" });
    expect(by.inProduction.avgMs).toBeCloseTo(hours(115), 3);
    expect(by.inProduction.p90Ms).toBeCloseTo(hours(127), 3);
    expect(by.dispatching).toMatchObject({ entries: 1, late: 1, lateRate: 1, avgMs: hours(30), p90Ms: hours(30), state: "red" });
    expect(by.storeReceived).toEqual({ stage: "storeReceived", entries: 0, avgMs: null, p90Ms: null, late: 0, lateRate: null, state: null });
    expect(stageTimes.bottleneck).toBe("dispatching");
  });

  test("right now: work in progress by stage and what is overdue, whatever the period", async () => {
    const { now } = await kpiReport(conn.db, ops(), periodFilter("custom", "2020-01-01", "2020-01-07"), NOW);
    expect(now.wip).toBe(3);
    expect(now.overdue).toBe(2);
    expect(now.onHold).toBe(1);
    expect(Object.fromEntries(now.stages.map((s) => [s.stage, [s.wip, s.overdue]]))).toEqual({
      storeOrder: [1, 0],
      dispatchReceiving: [0, 0],
      inProduction: [2, 2],
      dispatching: [0, 0],
      storeReceived: [0, 0],
    });
  });

  test("the weekly trend: every week the period touches, Monday first; a week without data is null, a bad week is 0", async () => {
    const { trend } = await kpiReport(conn.db, ops(), MARCH, NOW);
    expect(trend).toEqual([
      { week: "2025-02-24", onTime: null, delivered: 0, quality: null, inspected: 0 },
      { week: "2025-03-03", onTime: 2 / 3, delivered: 3, quality: 2 / 3, inspected: 3 },
      { week: "2025-03-10", onTime: 1, delivered: 1, quality: 0, inspected: 2 },
      { week: "2025-03-17", onTime: 1, delivered: 2, quality: null, inspected: 0 },
      { week: "2025-03-24", onTime: null, delivered: 0, quality: 1, inspected: 1 },
      { week: "2025-03-31", onTime: null, delivered: 0, quality: null, inspected: 0 },
    ]);
  });
});

describe("store scope", () => {
  test("a store manager's figures cover only their store, the same as ops filtering on that store", async () => {
    const mine = await kpiReport(conn.db, south(), MARCH, NOW);
    // South: o5 (8 d, on time, 3), o6 (5 d, no date, 5), o7 (no submission, on time, 4).
    expect(mine.productionTime).toMatchObject({ counted: 2, of: 3, value: 6.5, median: 6.5 });
    expect(mine.productionTime.p90).toBeCloseTo(7.7, 9);
    expect(mine.onTime).toMatchObject({ value: 1, onTime: 2, counted: 2, of: 3, state: "green" });
    expect(mine.satisfaction).toMatchObject({ value: 4, counted: 3 });
    // o5 and o6 both failed their first inspection: 0 %, a real figure and not "no data".
    expect(mine.quality).toMatchObject({ value: 0, counted: 2, passed: 0, reworks: 3, state: "red" });
    expect(mine.now).toMatchObject({ wip: 1, overdue: 1, onHold: 1 });
    expect(mine.stageTimes.stages.filter((s) => s.entries).map((s) => [s.stage, s.entries, s.late])).toEqual([
      ["storeOrder", 1, 0],
      ["dispatchReceiving", 1, 0],
    ]);
    expect(mine.stageTimes.bottleneck).toBeNull();

    const opsOnSouth = await kpiReport(conn.db, ops(), { ...MARCH, storeId: storeIds.south }, NOW);
    expect(opsOnSouth).toEqual(mine);
  });

  test("asking for another store gives a store manager nothing of it", async () => {
    const other = await kpiReport(conn.db, south(), { ...MARCH, storeId: storeIds.north }, NOW);
    expect(other.productionTime.of).toBe(0);
    expect(other.quality.counted).toBe(0);
    expect(other.now.wip).toBe(0);
    expect(await csvOf(south(), { ...MARCH, storeId: storeIds.north })).toEqual([]);
  });

  test("the CSV: the orders behind the figures, and for a store manager only their store's", async () => {
    const all = await csvOf();
    // Received in March (o1–o7) or first inspected in March (o9).
    expect(all.map((r) => r.Order)).toEqual(["o1", "o2", "o3", "o4", "o5", "o6", "o7", "o9"].map((k) => formatOrderNumber(id[k])));
    const row = (k: string) => all.find((r) => r.Order === formatOrderNumber(id[k]))!;
    expect(row("o1")).toMatchObject({ Store: "North", "On time": "yes", "Production days": "5", "Customer rating": "5", "First inspection result": "pass", "In delivery figures": "yes", "In quality figure": "yes" });
    expect(row("o2")).toMatchObject({ "On time": "no", "Failed inspections": "1", "First inspection result": "fail", "In Production (hours)": "130", "Dispatching (hours)": "30" });
    expect(row("o4")).toMatchObject({ "On time": "yes", "Received (UTC)": "2025-03-15T23:00:00Z", "Required delivery date": "2025-03-15" });
    expect(row("o6")).toMatchObject({ "On time": "", "First inspection result": "fail" });
    expect(row("o9")).toMatchObject({ State: "Active", "In delivery figures": "no", "In quality figure": "yes", "Received (UTC)": "" });

    const mine = await csvOf(south());
    expect(mine.map((r) => r.Order)).toEqual(["o5", "o6", "o7"].map((k) => formatOrderNumber(id[k])));
    expect(new Set(mine.map((r) => r.Store))).toEqual(new Set(["South"]));
  });
});

describe("periods at the edges", () => {
  test("an empty period: no data everywhere, never 0 % or NaN", async () => {
    const empty = periodFilter("custom", "2024-01-01", "2024-01-31");
    const report = await kpiReport(conn.db, ops(), empty, NOW);
    for (const figure of [report.productionTime, report.onTime, report.quality, report.satisfaction]) {
      expect(figure).toMatchObject({ value: null, state: null, counted: 0 });
    }
    expect(report.productionTime).toMatchObject({ median: null, p90: null, of: 0 });
    expect(report.quality.reworks).toBe(0);
    expect(report.stageTimes.stages.every((s) => s.entries === 0 && s.avgMs === null && s.state === null)).toBe(true);
    expect(report.stageTimes.bottleneck).toBeNull();
    expect(report.trend.every((w) => w.onTime === null && w.quality === null)).toBe(true);
    expect(JSON.stringify(report)).not.toMatch(/NaN|Infinity/);
    expect(await csvOf(ops(), empty)).toEqual([]);
  });

  test("a single-order period: 6 March holds o1's delivery and nothing else", async () => {
    const day = periodFilter("custom", "2025-03-06", "2025-03-06");
    const report = await kpiReport(conn.db, ops(), day, NOW);
    expect(report.productionTime).toMatchObject({ value: 5, median: 5, p90: 5, counted: 1, of: 1, state: "green" });
    expect(report.onTime).toMatchObject({ value: 1, onTime: 1, counted: 1, state: "green" });
    expect(report.satisfaction).toMatchObject({ value: 5, counted: 1, state: "green" });
    expect(report.quality).toMatchObject({ value: null, counted: 0, state: null });
    expect(report.stageTimes.stages.every((s) => s.entries === 0)).toBe(true);
    expect(report.trend).toEqual([{ week: "2025-03-03", onTime: 1, delivered: 1, quality: null, inspected: 0 }]);
    expect((await csvOf(ops(), day)).map((r) => r.Order)).toEqual([formatOrderNumber(id.o1)]);
  });
});

describe("the rollups give the exact figures on the fixture", () => {
  test.each([
    ["March, all stores", () => ops(), () => MARCH],
    ["March, South's manager", () => south(), () => MARCH],
    ["February to April", () => ops(), () => periodFilter("custom", "2025-02-01", "2025-04-30")],
    ["6 March", () => ops(), () => periodFilter("custom", "2025-03-06", "2025-03-06")],
    ["an empty January", () => ops(), () => periodFilter("custom", "2024-01-01", "2024-01-31")],
  ])("%s", async (_label, actor, filter) => {
    // Each histogram bucket here holds one duration, so even the medians and percentiles are exact.
    const [fast, exact] = await Promise.all([kpiReport(conn.db, actor(), filter(), NOW), exactKpiReport(conn.db, actor(), filter(), NOW)]);
    expect(JSON.parse(JSON.stringify(fast, (_k, v) => (typeof v === "number" ? Number(v.toPrecision(12)) : v)))).toEqual(
      JSON.parse(JSON.stringify(exact, (_k, v) => (typeof v === "number" ? Number(v.toPrecision(12)) : v))),
    );
  });
});
