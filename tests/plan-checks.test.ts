import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { eq, isNull } from "drizzle-orm";
import type { Connection } from "@/db/client";
import { auditLog, orders, shopSettings, stores, workCalendars } from "@/db/schema";
import { completeStage, createOrder, saveAndCompleteStage, saveFields } from "@/lib/orders/commands";
import { saveCalendar } from "@/lib/stores/calendars";
import { zonedInstant } from "@/lib/time/zones";
import { type Actors, inDays, orderIn, seedActors } from "./fixtures";
import { testDatabase } from "./database";

/**
 * Plans are checked like promises (SPEC.md): the Estimated Delivery Time may not be in the past
 * when entered and needs a confirmation after the Required Delivery Date; a stored one that has
 * since passed still counts. Calendars are set by administrators and start the next clocks.
 */

let conn: Connection;
let actors: Actors;
let storeIds: { north: number; south: number };

beforeAll(async () => {
  conn = await testDatabase();
  ({ actors, storeIds } = await seedActors(conn.db));
});
afterAll(() => conn?.close());

const dispatch = () => ({ db: conn.db, actor: actors["dispatch@example.com"] });
const fresh = async (id: number) => (await conn.db.select().from(orders).where(eq(orders.id, id)))[0];

describe("the Estimated Delivery Time", () => {
  test("is refused in the past, beside the field", async () => {
    const order = await orderIn(conn.db, { storeCode: "north", to: "dispatching" });
    const result = await saveFields(dispatch(), { orderId: order.id, version: order.version, values: { estimatedDeliveryTime: new Date(Date.now() - 3600_000).toISOString() } });
    expect(result).toMatchObject({ ok: false, fieldErrors: { estimatedDeliveryTime: ["The estimated delivery time cannot be in the past"] } });
  });

  test("after the Required Delivery Date needs the confirmation, then saves", async () => {
    const order = await orderIn(conn.db, { storeCode: "north", to: "dispatching", requiredDeliveryDate: inDays(5) });
    const late = `${inDays(7)}T10:00:00.000Z`;
    const refused = await saveFields(dispatch(), { orderId: order.id, version: order.version, values: { estimatedDeliveryTime: late } });
    expect(refused.ok).toBe(false);
    expect(refused.ok ? [] : refused.fieldErrors?.estimatedDeliveryTime?.[0]).toMatch(/^The estimate is after the Required Delivery Date \(.+\): tick the confirmation to keep it$/);
    const confirmed = await saveFields(dispatch(), { orderId: order.id, version: order.version, values: { estimatedDeliveryTime: late }, confirmLateEstimate: "on" });
    expect(confirmed.ok).toBe(true);
    expect((await fresh(order.id)).fields.estimatedDeliveryTime).toBe(late);
  });

  test("stored and since passed, it still counts: the stage completes and Store Received is due 2 hours after it", async () => {
    // Entered three days ago for two days ago: it has passed since.
    const order = await orderIn(conn.db, { storeCode: "north", to: "dispatching", startedAt: new Date(Date.now() - 5 * 86_400_000) });
    const stored = new Date(Date.now() - 2 * 86_400_000).toISOString();
    const values = { shipmentMethod: "courier", trackingNumber: "TRK-PASSED", estimatedDeliveryTime: stored };
    const saved = await saveFields({ ...dispatch(), now: new Date(Date.now() - 3 * 86_400_000) }, { orderId: order.id, version: order.version, values });
    expect(saved.ok).toBe(true);
    const done = await saveAndCompleteStage(dispatch(), { orderId: order.id, version: order.version + 1, values, confirmOpenTodos: "on" });
    expect(done.ok).toBe(true);
    const moved = await fresh(order.id);
    expect(moved.stage).toBe("storeReceived");
    expect(moved.stageDueAt.toISOString()).toBe(new Date(Date.parse(stored) + 2 * 3600_000).toISOString());
  });
});

describe("working calendars", () => {
  const admin = () => ({ db: conn.db, actor: actors["admin@example.com"] });

  test("are checked field by field", async () => {
    const result = await saveCalendar(admin(), { storeId: String(storeIds.north), mon: { open: "17:00", close: "08:00" }, tue: { open: "08:00" }, holidays: "2026-12-24, 24.12.2026" });
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: {
        "mon.close": ["Closing must be after opening"],
        "tue.close": ["Enter the closing time, or leave both empty for a day off"],
        holidays: ["Not a date (YYYY-MM-DD): 24.12.2026"],
      },
    });
  });

  test("start the next clocks: an order created at 20:16 in Berlin is due the next working morning", async () => {
    await conn.db.update(stores).set({ timeZone: "Europe/Berlin" }).where(eq(stores.id, storeIds.south));
    const week = { mon: { open: "08:00", close: "17:00" }, tue: { open: "08:00", close: "17:00" }, wed: { open: "08:00", close: "17:00" }, thu: { open: "08:00", close: "17:00" }, fri: { open: "08:00", close: "17:00" } };
    const saved = await saveCalendar(admin(), { storeId: String(storeIds.south), ...week, holidays: "2026-12-24\n2026-12-25" });
    expect(saved.ok).toBe(true);
    const [row] = await conn.db.select().from(workCalendars).where(eq(workCalendars.storeId, storeIds.south));
    expect(row.week[1]).toEqual({ open: "08:00", close: "17:00" });
    expect(row.week[0]).toBeNull();
    expect(row.holidays).toEqual(["2026-12-24", "2026-12-25"]);
    const [audit] = await conn.db.select().from(auditLog).where(eq(auditLog.kind, "calendarChanged"));
    expect(audit).toMatchObject({ storeId: storeIds.south, before: null });

    // Monday 7 Dec 2026, 20:16 in Berlin; Store Order's 4 hours: Tuesday 12:00, not 00:16.
    const created = await createOrder({ db: conn.db, actor: actors["store.south@example.com"], now: zonedInstant("2026-12-07T20:16", "Europe/Berlin") }, { storeId: storeIds.south, productSpecifications: "Oak display shelf, 120 x 40 cm", orderQuantity: 2, requiredDeliveryDate: "2026-12-30" });
    expect(created.ok && created.order.stageDueAt).toEqual(zonedInstant("2026-12-08T12:00", "Europe/Berlin"));
    expect(created.ok && created.order.stageRiskAt).toEqual(zonedInstant("2026-12-08T11:00", "Europe/Berlin"));

    // The shop's calendar, in the shop's zone: Receiving by Dispatch counts the shop's hours.
    await conn.db.insert(shopSettings).values({ timeZone: "Asia/Tokyo" });
    expect((await saveCalendar(admin(), { storeId: "", ...week })).ok).toBe(true);
    const order = created.ok ? created.order : null;
    const moved = await completeStage({ db: conn.db, actor: actors["store.south@example.com"], now: zonedInstant("2026-12-08T09:00", "Europe/Berlin") }, { orderId: order!.id, version: order!.version, confirmOpenTodos: "on" });
    // Tuesday 09:00 Berlin is 17:00 in Tokyo, the shop's closing: its 2 hours are Wednesday 08:00–10:00 Tokyo.
    expect(moved.ok && moved.order.stageDueAt).toEqual(zonedInstant("2026-12-09T10:00", "Asia/Tokyo"));

    // No working hours at all: around the clock again.
    expect((await saveCalendar(admin(), { storeId: "" })).ok).toBe(true);
    expect(await conn.db.select().from(workCalendars).where(isNull(workCalendars.storeId))).toEqual([]);
  });
});
