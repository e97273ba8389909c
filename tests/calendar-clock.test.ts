import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Connection } from "@/db/client";
import { orderCalendars } from "@/db/queries/calendars";
import { automationRules, notifications, orders, ruleFirings, shopSettings, stageEntries, stores, workCalendars } from "@/db/schema";
import { evaluateTimeRulesPass } from "@/lib/automation/runner";
import { seedBase } from "@/lib/demo/seed";
import { zonedInstant, zonedParts } from "@/lib/time/zones";
import { type FieldValues, type OrderCalendars, type SlaState, type StageKey, clockState, stage, stageCalendar, stageClock, stageKeys } from "@/lib/workflow";
import { testDatabase } from "./database";

/**
 * Due and risk times are computed once, when written (lib/workflow/clock.ts on lib/time/calendar.ts),
 * and the automation pass compares the stored instants in SQL. Two things are held equal here,
 * over stage entries spread in 7 h 15 min steps across the daylight-saving changes of spring and
 * autumn 2026 in Berlin (the shop), New York and Sydney (two stores), with weekends and holidays:
 *
 * 1. the stored times and a slow, obvious oracle that walks the calendar quarter-hour by
 *    quarter-hour, asking the zone's wall clock whether each quarter is a working one;
 * 2. what the set-based pass fires at risk and overdue, and the oracle's state of each order, at
 *    instants spread over the same weeks.
 */

const QUARTER = 15 * 60_000;
type Week = ({ open: string; close: string } | null)[];
const weekdays = (open: string, close: string): Week => [null, ...Array.from({ length: 5 }, () => ({ open, close })), null];
const calendars = {
  shop: { zone: "Europe/Berlin", week: weekdays("08:00", "17:00"), holidays: ["2026-03-30", "2026-04-03", "2026-10-26"] },
  ny: { zone: "America/New_York", week: weekdays("10:00", "18:00"), holidays: ["2026-03-09"] },
  // Sydney works Saturday mornings too.
  sydney: { zone: "Australia/Sydney", week: [...weekdays("09:00", "17:00").slice(0, 6), { open: "09:00", close: "12:00" }], holidays: ["2026-04-06", "2026-10-05"] },
};
type Cal = (typeof calendars)[keyof typeof calendars];

// --- The oracle ---------------------------------------------------------------------------------

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
/** Is the quarter-hour starting at t a working one? Read off the wall clock, nothing else. */
function working(cal: Cal, t: number): boolean {
  const p = zonedParts(t, cal.zone);
  if (cal.holidays.includes(p.date)) return false;
  const h = cal.week[p.weekday];
  const m = p.hour * 60 + p.minute;
  return !!h && minutes(h.open) <= m && m < minutes(h.close);
}
/** Working quarters of a local day (a day's length for day targets). */
function quartersOf(cal: Cal, day: string): number {
  let n = 0;
  const start = zonedInstant(`${day}T00:00`, cal.zone).getTime() - 3 * 3600_000;
  for (let t = start; t < start + 30 * 3600_000; t += QUARTER) if (zonedParts(t, cal.zone).date === day && working(cal, t)) n++;
  return n;
}
/** Walks quarters forward from `from` until `amount` is used (hours: a quarter is 1/4; days: 1/quarters of its day). */
function oracleAdd(cal: Cal, from: number, amount: number, unit: "hours" | "days", direction: 1 | -1 = 1): number {
  let acc = 0;
  const lengths = new Map<string, number>();
  // Backwards from the last millisecond of a day off: the quarter grid starts at the next boundary
  // (the instants in between are no working time either way).
  const start = direction === 1 ? from : Math.ceil(from / QUARTER) * QUARTER - QUARTER;
  for (let t = start; ; t += direction * QUARTER) {
    if (!working(cal, t)) continue;
    const day = zonedParts(t, cal.zone).date;
    if (!lengths.has(day)) lengths.set(day, quartersOf(cal, day));
    acc += unit === "hours" ? 0.25 : 1 / lengths.get(day)!;
    if (acc >= amount - 1e-9) return direction === 1 ? t + QUARTER : t;
  }
}
/** The end of a planned day: the end of its last working quarter, or the day's last millisecond. */
function oracleEndOfDay(cal: Cal, day: string): number {
  const start = zonedInstant(`${day}T00:00`, cal.zone).getTime() - 3 * 3600_000;
  let last: number | null = null;
  let next = 0;
  for (let t = start; ; t += QUARTER) {
    const d = zonedParts(t, cal.zone).date;
    if (d > day) {
      next = t;
      break;
    }
    if (d === day && working(cal, t)) last = t + QUARTER;
  }
  return last ?? next - 1;
}
function oracleClock(key: StageKey, enteredAt: number, fields: FieldValues, cal: Cal) {
  const target = stage(key).target;
  if (key === "inProduction" && fields.productionSchedule) {
    const due = oracleEndOfDay(cal, fields.productionSchedule.end);
    return { dueAt: due, riskAt: oracleAdd(cal, due, 1, "days", -1) };
  }
  const from = key === "storeReceived" && fields.estimatedDeliveryTime ? Date.parse(fields.estimatedDeliveryTime) : enteredAt;
  return { dueAt: oracleAdd(cal, from, target.due, target.unit), riskAt: oracleAdd(cal, from, target.risk, target.unit) };
}

// --- The data ------------------------------------------------------------------------------------

let conn: Connection;
type Made = { id: number; stage: StageKey; storeId: number; enteredAt: number; fields: FieldValues; cal: Cal };
const made: Made[] = [];
const windows = [
  ["2026-03-02T00:00:00Z", "2026-04-10T00:00:00Z"],
  ["2026-09-28T00:00:00Z", "2026-11-06T00:00:00Z"],
] as const;

beforeAll(async () => {
  conn = await testDatabase();
  const db = conn.db;
  await seedBase(db);
  const [ny, sydney] = await db.select({ id: stores.id }).from(stores).orderBy(stores.id).limit(2);
  await db.update(stores).set({ timeZone: "America/New_York" }).where(eq(stores.id, ny.id));
  await db.update(stores).set({ timeZone: "Australia/Sydney" }).where(eq(stores.id, sydney.id));
  // The shop's zone is the shop's setting (npm run setup); its calendar keeps hours and holidays.
  await db.insert(shopSettings).values({ timeZone: calendars.shop.zone });
  await db.insert(workCalendars).values([
    { storeId: null, week: calendars.shop.week, holidays: calendars.shop.holidays },
    { storeId: ny.id, week: calendars.ny.week, holidays: calendars.ny.holidays },
    { storeId: sydney.id, week: calendars.sydney.week, holidays: calendars.sydney.holidays },
  ]);
  const loaded: Record<number, OrderCalendars> = { [ny.id]: await orderCalendars(db, ny.id), [sydney.id]: await orderCalendars(db, sydney.id) };
  let i = 0;
  for (const [from, to] of windows) {
    for (let t = Date.parse(from); t < Date.parse(to); t += 7 * 3600_000 + QUARTER, i++) {
      const key = stageKeys[i % stageKeys.length];
      const storeId = i % 2 === 0 ? ny.id : sydney.id;
      const fields: FieldValues = {};
      // Every third In Production entry has a schedule, every third Store Received an estimate.
      if (key === "inProduction" && i % 3 === 0) {
        const end = zonedParts(t + ((i % 9) + 1) * 86_400_000, "Europe/Berlin").date;
        fields.productionSchedule = { start: zonedParts(t, "Europe/Berlin").date, end, confirmed: false };
      }
      if (key === "storeReceived" && i % 3 !== 1) fields.estimatedDeliveryTime = new Date(t + ((i % 11) + 1) * 5 * 3600_000).toISOString();
      const clock = stageClock(key, new Date(t), fields, loaded[storeId]);
      const [o] = await db
        .insert(orders)
        .values({ storeId, stage: key, state: "active", stageEnteredAt: new Date(t), stageDueAt: clock.dueAt, stageRiskAt: clock.riskAt, fields, productSummary: `Clock ${i}` })
        .returning({ id: orders.id });
      await db.insert(stageEntries).values({ orderId: o.id, stage: key, enteredAt: new Date(t), dueAt: clock.dueAt });
      const owner = stageCalendar(key, loaded[storeId]);
      made.push({ id: o.id, stage: key, storeId, enteredAt: t, fields, cal: owner.zone === "Europe/Berlin" ? calendars.shop : storeId === ny.id ? calendars.ny : calendars.sydney });
    }
  }
}, 120_000);
afterAll(() => conn?.close());

describe("stored stage clocks", () => {
  test("equal the quarter-hour oracle across DST changes, weekends and holidays", async () => {
    const rows = await conn.db.select({ id: orders.id, dueAt: orders.stageDueAt, riskAt: orders.stageRiskAt }).from(orders).where(inArray(orders.id, made.map((m) => m.id)));
    const byId = new Map(rows.map((r) => [r.id, r]));
    const mismatches = made.flatMap((m) => {
      const want = oracleClock(m.stage, m.enteredAt, m.fields, m.cal);
      const got = byId.get(m.id)!;
      const a = [got.dueAt.toISOString(), got.riskAt!.toISOString()];
      const b = [new Date(want.dueAt).toISOString(), new Date(want.riskAt).toISOString()];
      return a[0] === b[0] && a[1] === b[1] ? [] : [`${m.stage} entered ${new Date(m.enteredAt).toISOString()} (${m.cal.zone}) ${JSON.stringify(m.fields)}: stored ${a.join(" / ")}, oracle ${b.join(" / ")}`];
    });
    expect(mismatches).toEqual([]);
    expect(made.length).toBeGreaterThan(200);
    expect(made.some((m) => m.fields.productionSchedule) && made.some((m) => m.fields.estimatedDeliveryTime)).toBe(true);
  }, 120_000);
});

describe("the automation pass", () => {
  test("fires at risk and overdue exactly for the orders the oracle says are at risk and overdue", async () => {
    const db = conn.db;
    const [risk, overdue] = await db
      .insert(automationRules)
      .values([
        { key: "clock-risk", name: "Any stage at risk", trigger: { type: "stage_at_risk" }, recipients: [{ kind: "stageOwner" }], message: "At risk" },
        { key: "clock-overdue", name: "Any stage overdue", trigger: { type: "stage_overdue" }, recipients: [{ kind: "stageOwner" }], message: "Overdue" },
      ])
      .returning({ id: automationRules.id });
    const oracle = new Map(made.map((m) => [m.id, oracleClock(m.stage, m.enteredAt, m.fields, m.cal)]));
    let checked = 0;
    for (const [from, to] of windows) {
      for (let t = Date.parse(from) + 5 * 86_400_000; t < Date.parse(to); t += 61 * 3600_000 + 7 * 60_000) {
        const now = new Date(t);
        await db.delete(notifications).where(sql`${notifications.firingId} in (select id from ${ruleFirings})`);
        await db.delete(ruleFirings).where(sql`true`);
        await evaluateTimeRulesPass(db, now, ["stage_at_risk", "stage_overdue"]);
        const fired = await db.select({ ruleId: ruleFirings.ruleId, orderId: ruleFirings.orderId }).from(ruleFirings).where(inArray(ruleFirings.ruleId, [risk.id, overdue.id]));
        const actual = (id: number) => fired.filter((f) => f.ruleId === id).map((f) => f.orderId).sort((a, b) => a - b);
        const want = (state: SlaState) =>
          made
            .filter((m) => {
              const c = oracle.get(m.id)!;
              return clockState({ dueAt: new Date(c.dueAt), riskAt: new Date(c.riskAt) }, now) === state;
            })
            .map((m) => m.id)
            .sort((a, b) => a - b);
        expect(actual(risk.id), `at risk at ${now.toISOString()}`).toEqual(want("atRisk"));
        expect(actual(overdue.id), `overdue at ${now.toISOString()}`).toEqual(want("overdue"));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
    // The open entries are the ones the pass read.
    const open = await db.select({ n: sql<number>`count(*)::int` }).from(stageEntries).where(and(isNull(stageEntries.completedAt), inArray(stageEntries.orderId, made.map((m) => m.id))));
    expect(open[0].n).toBe(made.length);
  }, 300_000);
});
