import { describe, expect, test } from "vitest";
import { aroundTheClock, calendarFrom } from "@/lib/time/calendar";
import { zonedInstant } from "@/lib/time/zones";
import { type OrderCalendars, clockState, stageCalendar, stageClock } from "./clock";

/** The stage clock from the plan and the calendars (SPEC.md "Clocks that follow the plan and the calendar"). */

const weekdays = (open: string, close: string) => [null, ...Array.from({ length: 5 }, () => ({ open, close })), null];
const shop = calendarFrom("Europe/Berlin", weekdays("08:00", "17:00"), ["2026-12-24"]);
const store = calendarFrom("America/New_York", weekdays("10:00", "18:00"));
const calendars: OrderCalendars = { shop, store };
const berlin = (s: string) => zonedInstant(s, "Europe/Berlin");
const newYork = (s: string) => zonedInstant(s, "America/New_York");

describe("stageClock", () => {
  test("stores own stages 1 and 5, the shop stages 2–4", () => {
    expect(["storeOrder", "dispatchReceiving", "inProduction", "dispatching", "storeReceived"].map((s) => stageCalendar(s as never, calendars) === store)).toEqual([true, false, false, false, true]);
  });
  test("an hour target counts the owner's working hours", () => {
    // Store Order, 4 h in the store's hours: created Friday 17:00 in New York, 1 h Friday, 3 h Monday from 10:00.
    expect(stageClock("storeOrder", newYork("2026-12-04T17:00"), {}, calendars)).toEqual({ dueAt: newYork("2026-12-07T13:00"), riskAt: newYork("2026-12-07T12:00") });
  });
  test("In Production follows the schedule: due at the end of the planned end day, at risk a working day before", () => {
    const clock = stageClock("inProduction", berlin("2026-12-07T09:00"), { productionSchedule: { start: "2026-12-08", end: "2026-12-15", confirmed: false } }, calendars);
    expect(clock).toEqual({ dueAt: berlin("2026-12-15T17:00"), riskAt: berlin("2026-12-15T08:00") });
    // Before the planned start the order is on track, whatever the 5-day target would say.
    expect(clockState(clock, berlin("2026-12-14T17:00"))).toBe("onTrack");
  });
  test("In Production without a schedule: 5 working days, at risk after 3", () => {
    expect(stageClock("inProduction", berlin("2026-12-04T10:00"), {}, calendars)).toEqual({ dueAt: berlin("2026-12-11T10:00"), riskAt: berlin("2026-12-09T10:00") });
  });
  test("Store Received is due 2 working hours after the Estimated Delivery Time, in the store's hours", () => {
    // Shipped Monday; expected Thursday 17:30 in New York: 30 min Thursday, 90 min Friday from 10:00.
    const eta = newYork("2026-12-10T17:30").toISOString();
    expect(stageClock("storeReceived", berlin("2026-12-07T09:00"), { estimatedDeliveryTime: eta }, calendars)).toEqual({ dueAt: newYork("2026-12-11T11:30"), riskAt: newYork("2026-12-11T11:00") });
  });
  test("without calendars the targets run around the clock, as before", () => {
    const at = new Date("2026-12-04T20:16:00Z");
    const clock = stageClock("storeOrder", at, {}, { shop: aroundTheClock(), store: aroundTheClock() });
    expect(clock.dueAt.toISOString()).toBe("2026-12-05T00:16:00.000Z");
  });
});
