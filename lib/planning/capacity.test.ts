import { describe, expect, test } from "vitest";
import { aroundTheClock, calendarFrom } from "@/lib/time/calendar";
import { anyLength, capacityOn, earliestFit, loadDelta, shares, spreadLoad } from "./capacity";

/**
 * Capacity by hand. January 2027: Fri 1, Mon 4, Tue 5, Wed 6 (a holiday here), Thu 7, Fri 8,
 * Sat 9, Sun 10, Mon 11 … Fri 15, Mon 18 … Fri 22; March: Mon 1, Tue 2.
 */
const weekdays = [null, ...Array.from({ length: 5 }, () => ({ open: "08:00", close: "16:00" })), null];
const shop = calendarFrom("Europe/Berlin", weekdays, ["2027-01-06"]);
const tenADay = [{ from: "2027-01-01", units: 10 }];
const loadOf = (m: Record<string, number>) => (day: string) => m[day] ?? 0;
const week = (days: string[], units: number) => Object.fromEntries(days.map((d) => [d, units]));

describe("an order's load is its quantity spread over its schedule's working days", () => {
  test("whole units, one more on the first days, none on the weekend or a holiday", () => {
    // Mon 4 → Fri 8 with Wed 6 off: 4 working days; 10 = 2×4 + 2, so 3, 3, 2, 2.
    expect([...spreadLoad(shop, 10, "2027-01-04", "2027-01-08")]).toEqual([["2027-01-04", 3], ["2027-01-05", 3], ["2027-01-07", 2], ["2027-01-08", 2]]);
    // Fri 8 → Mon 11 over the weekend: Fri and Mon.
    expect([...spreadLoad(shop, 7, "2027-01-08", "2027-01-11")]).toEqual([["2027-01-08", 4], ["2027-01-11", 3]]);
  });
  test("a schedule with no working day in it spreads over its days", () => {
    expect([...spreadLoad(shop, 5, "2027-01-09", "2027-01-10")]).toEqual([["2027-01-09", 3], ["2027-01-10", 2]]);
  });
  test("fewer units than days leave the last days empty", () => {
    expect([...spreadLoad(shop, 2, "2027-01-04", "2027-01-08")]).toEqual([["2027-01-04", 1], ["2027-01-05", 1]]);
    expect(shares(2, 4)).toEqual([1, 1, 0, 0]);
  });
  test("a shop without working hours works every day", () => {
    expect([...spreadLoad(aroundTheClock(), 4, "2027-01-08", "2027-01-11")].map(([d]) => d)).toEqual(["2027-01-08", "2027-01-09", "2027-01-10", "2027-01-11"]);
  });
  test("a change is the difference per day", () => {
    const before = spreadLoad(shop, 10, "2027-01-04", "2027-01-08");
    const after = spreadLoad(shop, 10, "2027-01-07", "2027-01-11");
    // After: Thu 7, Fri 8, Mon 11 → 4, 3, 3.
    expect(loadDelta(before, after)).toEqual([["2027-01-04", -3], ["2027-01-05", -3], ["2027-01-07", 2], ["2027-01-08", 1], ["2027-01-11", 3]]);
  });
});

describe("capacity per day", () => {
  const rates = [{ from: "2027-03-01", units: 15 }, ...tenADay];
  test("the rate in force on working days, nothing on days off, none before the first rate", () => {
    expect(capacityOn(shop, rates, "2027-01-04")).toBe(10);
    expect(capacityOn(shop, rates, "2027-01-06")).toBe(0);
    expect(capacityOn(shop, rates, "2027-01-09")).toBe(0);
    expect(capacityOn(shop, rates, "2027-02-26")).toBe(10);
    // A new machine from 1 March.
    expect(capacityOn(shop, rates, "2027-03-01")).toBe(15);
    expect(capacityOn(shop, rates, "2026-12-31")).toBeNull();
  });
});

describe("the earliest planned end that fits", () => {
  const fit = (quantity: number, lengths: number[], load: Record<string, number>, from = "2027-01-04", rates = tenADay, horizon?: number) =>
    earliestFit({ cal: shop, rates, load: loadOf(load), quantity, from, lengths, horizon });
  test("after a full week, over the weekend", () => {
    // Mon 4 … Fri 8 full: 20 units over 2 days (10 each) start Mon 11, end Tue 12.
    expect(fit(20, [2], week(["2027-01-04", "2027-01-05", "2027-01-07", "2027-01-08"], 10))).toEqual({ start: "2027-01-11", end: "2027-01-12", workingDays: 2 });
  });
  test("a holiday inside the run is skipped, not counted", () => {
    // From Tue 5 with nothing planned: Tue 5 and Thu 7 (Wed 6 is off).
    expect(fit(20, [2], {}, "2027-01-05")).toEqual({ start: "2027-01-05", end: "2027-01-07", workingDays: 2 });
  });
  test("a share a day takes only what is left of the day", () => {
    // 5 of 10 planned on Mon 4: 12 units over 2 days need 6, 6: start Tue 5 (Tue 5, Thu 7).
    expect(fit(12, [2], { "2027-01-04": 5 })?.end).toBe("2027-01-07");
    // 10 units over 2 days are 5, 5: Mon 4 holds 5 more.
    expect(fit(10, [2], { "2027-01-04": 5 })?.end).toBe("2027-01-05");
  });
  test("a capacity change lets a larger share fit from its day", () => {
    // 30 units over 2 days are 15 a day: only from 1 March (15 a day), Mon 1 and Tue 2.
    expect(fit(30, [2], {}, "2027-01-04", [{ from: "2027-03-01", units: 15 }, ...tenADay])).toEqual({ start: "2027-03-01", end: "2027-03-02", workingDays: 2 });
  });
  test("an order longer than the free windows goes after them", () => {
    // Free: Mon 4, Tue 5, Thu 7, Fri 8 (4 days); Mon 11 … Fri 15 full. 50 over 5 days (10 each) needs 5 free days in a row: Mon 18 … Fri 22.
    const full = week(["2027-01-11", "2027-01-12", "2027-01-13", "2027-01-14", "2027-01-15"], 10);
    expect(fit(50, [5], full)).toEqual({ start: "2027-01-18", end: "2027-01-22", workingDays: 5 });
  });
  test("nothing fits when a day's share is over any day's capacity, or no capacity is set", () => {
    // 100 over 5 days is 20 a day, twice the rate.
    expect(fit(100, [5], {})).toBeNull();
    expect(fit(10, [1], {}, "2027-01-04", [])).toBeNull();
    // Within the horizon only: the full week, and a horizon that ends in it.
    expect(fit(20, [2], week(["2027-01-04", "2027-01-05", "2027-01-07", "2027-01-08"], 10), "2027-01-04", tenADay, 6)).toBeNull();
  });
  test("with no length proposed, the run that ends first", () => {
    // 5 of 10 planned on Mon 4 and Tue 5. Three days (10 each) from Thu 7: Thu 7, Fri 8, Mon 11.
    // Six days (5 each) would fit from Mon 4 but end Tue 12.
    const lengths = anyLength(30, tenADay);
    expect(lengths[0]).toBe(3);
    expect(fit(30, lengths, { "2027-01-04": 5, "2027-01-05": 5 })).toEqual({ start: "2027-01-07", end: "2027-01-11", workingDays: 3 });
  });
});
