import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Connection } from "@/db/client";
import { automationRules, orders, ruleFirings, stageEntries } from "@/db/schema";
import { evaluateTimeRulesPass } from "@/lib/automation/runner";
import { saveFields } from "@/lib/orders/commands";
import { describeEvent } from "@/lib/orders/history-text";
import { addDays } from "@/lib/time/zones";
import { type Actors, historyOf, orderIn, seedActors } from "./fixtures";
import { onServer, testDatabase } from "./database";

/**
 * A changed plan moves the due time (SPEC.md "The plan moves the clock"): dispatch re-schedules an
 * order that production is late on, the history says so, and the time rules alert once more for
 * the new due time, once, however many passes run at once (10 at once on the PostgreSQL server,
 * one after another on PGlite, which has one connection).
 */

const PASSES = 10;
let conn: Connection;
let actors: Actors;
const today = new Date().toISOString().slice(0, 10);
const dayAt = (days: number, hour = 12) => new Date(Date.parse(`${addDays(today, days)}T00:00:00Z`) + hour * 3600_000);

beforeAll(async () => {
  conn = await testDatabase();
  ({ actors } = await seedActors(conn.db));
});
afterAll(() => conn?.close());

async function passes(now: Date) {
  const run = () => evaluateTimeRulesPass(conn.db, now, ["stage_at_risk", "stage_overdue"]);
  if (onServer()) return Promise.all(Array.from({ length: PASSES }, run));
  const out = [];
  for (let i = 0; i < PASSES; i++) out.push(await run());
  return out;
}

describe(`a re-planned order under ${PASSES} passes (${onServer() ? "at once, PostgreSQL" : "one after another, PGlite"})`, () => {
  test("the new due time is in history and alerted on exactly once", async () => {
    const db = conn.db;
    // In Production since yesterday, scheduled (by the demo driver) to end 4 days after it entered.
    const order = await orderIn(db, { storeCode: "north", to: "inProduction", startedAt: dayAt(-2, 9), stageHours: { storeOrder: 2, dispatchReceiving: 2 } });
    expect(order.fields.productionSchedule?.end).toBe(addDays(today, 2));
    // Around the clock (no calendars here): due at the end of the planned end day, at risk a day before.
    expect(order.stageDueAt.toISOString()).toBe(`${addDays(today, 2)}T23:59:59.999Z`);
    expect(order.stageRiskAt?.toISOString()).toBe(`${addDays(today, 1)}T23:59:59.999Z`);
    const overdueRules = (await db.select({ id: automationRules.id, trigger: automationRules.trigger, enabled: automationRules.enabled }).from(automationRules))
      .filter((r) => r.enabled && r.trigger.type === "stage_overdue" && (!("stage" in r.trigger) || !r.trigger.stage || r.trigger.stage === "inProduction"))
      .map((r) => r.id);
    expect(overdueRules.length).toBeGreaterThan(0);
    const overdueFirings = () => db.select({ occasion: ruleFirings.occasion }).from(ruleFirings).where(and(eq(ruleFirings.orderId, order.id), inArray(ruleFirings.ruleId, overdueRules)));

    // Production is late: the passes escalate once.
    await passes(dayAt(3));
    expect(await overdueFirings()).toHaveLength(overdueRules.length);

    // Dispatch moves the end out by four days.
    const dispatch = actors["dispatch@example.com"];
    const newEnd = addDays(today, 6);
    const saved = await saveFields({ db, actor: dispatch, now: dayAt(3) }, { orderId: order.id, version: (await db.select().from(orders).where(eq(orders.id, order.id)))[0].version, values: { productionSchedule: { start: addDays(today, -1), end: newEnd } } });
    expect(saved.ok).toBe(true);
    const [moved] = await db.select().from(orders).where(eq(orders.id, order.id));
    expect(moved.stageDueAt.toISOString()).toBe(`${newEnd}T23:59:59.999Z`);
    const [entry] = await db.select().from(stageEntries).where(and(eq(stageEntries.orderId, order.id), isNull(stageEntries.completedAt)));
    expect(entry).toMatchObject({ dueRevision: 1, dueAt: moved.stageDueAt });
    const history = await historyOf(db, order.id);
    const event = history.find((e) => e.kind === "dueMoved")!;
    expect(describeEvent(event)).toBe(`Due time moved by Production Schedule: ${formatDay(addDays(today, 2))}, 23:59 UTC → ${formatDay(newEnd)}, 23:59 UTC`);

    // Before the new due time nothing more fires; after it, each overdue rule fires once more.
    await passes(dayAt(5));
    expect(await overdueFirings()).toHaveLength(overdueRules.length);
    const results = await passes(dayAt(8));
    const after = await overdueFirings();
    expect(after).toHaveLength(2 * overdueRules.length);
    expect(after.filter((f) => f.occasion === `stage-entry:${entry.id}/due:1`)).toHaveLength(overdueRules.length);
    expect(results.reduce((n, r) => n + r.fired, 0)).toBeGreaterThanOrEqual(overdueRules.length);
    await passes(dayAt(9));
    expect(await overdueFirings()).toHaveLength(2 * overdueRules.length);
  }, 180_000);

  test("the schedule stays with dispatch and production in In Production; a store cannot move it", async () => {
    const db = conn.db;
    const order = await orderIn(db, { storeCode: "north", to: "inProduction" });
    const store = await saveFields({ db, actor: actors["store.north@example.com"] }, { orderId: order.id, version: order.version, values: { productionSchedule: { start: today, end: addDays(today, 3) } } });
    expect(store.ok).toBe(false);
    const production = await saveFields({ db, actor: actors["production@example.com"] }, { orderId: order.id, version: order.version, values: { productionSchedule: { start: today, end: addDays(today, 3) } } });
    expect(production.ok).toBe(true);
    // Other stage-2 fields stay closed.
    const other = await saveFields({ db, actor: actors["dispatch@example.com"] }, { orderId: order.id, version: order.version + 1, values: { specialRequirements: "Rush" } });
    expect(other).toMatchObject({ ok: false, formError: "Special Requirements is not part of the current stage" });
  });
});

const formatDay = (day: string) => new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(new Date(`${day}T00:00:00Z`));
