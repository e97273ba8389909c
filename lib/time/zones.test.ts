import { describe, expect, test } from "vitest";
import { addDays, addLocalDays, localDay, nextLocalHour, startOfLocalDay, zonedInstant, zonedParts } from "./zones";

const iso = (d: Date) => d.toISOString();

/**
 * Zones on both sides of UTC, with gaps and overlaps: Berlin (+1/+2, changes at 02:00/03:00),
 * New York (−5/−4), Sydney (+10/+11, southern: springs forward in October), Lord Howe (+10:30/+11,
 * a 30-minute change), Kathmandu (+5:45, none), Apia (skipped 30 Dec 2011 whole), Havana and
 * Santiago (changes at midnight), Chatham (+12:45/+13:45).
 */
describe("wall time → instant", () => {
  test.each([
    ["an ordinary winter time", "2026-01-15T09:00", "Europe/Berlin", "2026-01-15T08:00:00.000Z"],
    ["an ordinary summer time", "2026-07-15T09:00", "Europe/Berlin", "2026-07-15T07:00:00.000Z"],
    ["west of UTC", "2026-07-15T09:00", "America/New_York", "2026-07-15T13:00:00.000Z"],
    ["a quarter-hour zone", "2026-07-15T09:00", "Asia/Kathmandu", "2026-07-15T03:15:00.000Z"],
    ["the day before the date line's far side", "2026-07-15T09:00", "Pacific/Chatham", "2026-07-14T20:15:00.000Z"],
    // Gaps: the wall time is skipped, it moves forward by the gap.
    ["Berlin's spring gap", "2026-03-29T02:30", "Europe/Berlin", "2026-03-29T01:30:00.000Z"],
    ["New York's spring gap", "2026-03-08T02:30", "America/New_York", "2026-03-08T07:30:00.000Z"],
    ["Sydney's spring gap (October)", "2026-10-04T02:30", "Australia/Sydney", "2026-10-03T16:30:00.000Z"],
    ["Lord Howe's half-hour gap", "2026-10-04T02:15", "Australia/Lord_Howe", "2026-10-03T15:45:00.000Z"],
    ["Havana's midnight gap", "2026-03-08T00:30", "America/Havana", "2026-03-08T05:30:00.000Z"],
    // Overlaps: the wall time happens twice; the later (standard time), as PostgreSQL reads it.
    ["Berlin's autumn overlap", "2026-10-25T02:30", "Europe/Berlin", "2026-10-25T01:30:00.000Z"],
    ["New York's autumn overlap", "2026-11-01T01:30", "America/New_York", "2026-11-01T06:30:00.000Z"],
    ["Sydney's autumn overlap (April)", "2026-04-05T02:30", "Australia/Sydney", "2026-04-04T16:30:00.000Z"],
  ])("%s: %s in %s", (_what, wall, zone, instant) => {
    expect(iso(zonedInstant(wall, zone))).toBe(instant);
  });

  test("a wall time given by parts, seconds and all", () => {
    expect(iso(zonedInstant({ year: 2026, month: 2, day: 28, hour: 23, minute: 59, second: 59, millisecond: 999 }, "UTC"))).toBe("2026-02-28T23:59:59.999Z");
  });

  test("a year below 100 is that year, not 19xx (the Date constructor's trap)", () => {
    expect(zonedInstant({ year: 1, month: 1, day: 1 }, "UTC").getUTCFullYear()).toBe(1);
  });

  test("anything that is no wall time throws rather than guessing", () => {
    expect(() => zonedInstant("2026-13-01T00:00x", "UTC")).toThrow(RangeError);
  });
});

describe("instant → zoned parts", () => {
  test("the wall clock, weekday and offset either side of a change", () => {
    expect(zonedParts(new Date("2026-03-29T00:59:59Z"), "Europe/Berlin")).toMatchObject({ date: "2026-03-29", hour: 1, minute: 59, offsetMinutes: 60, weekday: 0 });
    expect(zonedParts(new Date("2026-03-29T01:00:00Z"), "Europe/Berlin")).toMatchObject({ date: "2026-03-29", hour: 3, minute: 0, offsetMinutes: 120 });
    expect(zonedParts(new Date("2026-11-01T05:30:00Z"), "America/New_York")).toMatchObject({ hour: 1, minute: 30, offsetMinutes: -240 });
    expect(zonedParts(new Date("2026-11-01T06:30:00Z"), "America/New_York")).toMatchObject({ hour: 1, minute: 30, offsetMinutes: -300 });
  });

  test("the day an instant falls on differs by zone", () => {
    const t = new Date("2026-07-15T23:30:00Z");
    expect(localDay(t, "UTC")).toBe("2026-07-15");
    expect(localDay(t, "Europe/Berlin")).toBe("2026-07-16");
    expect(localDay(t, "America/Los_Angeles")).toBe("2026-07-15");
    expect(localDay(new Date("2026-07-15T10:30:00Z"), "Pacific/Pago_Pago")).toBe("2026-07-14");
  });

  test("round trip: every half hour of a year in each zone reads back as the same instant, except in a gap", () => {
    for (const zone of ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "America/Santiago"]) {
      for (let t = Date.parse("2026-01-01T00:00:00Z"); t < Date.parse("2027-01-01T00:00:00Z"); t += 30 * 60_000) {
        const p = zonedParts(t, zone);
        const back = zonedInstant(p, zone).getTime();
        // An overlap's earlier reading maps to its later one: exactly the overlap's length apart.
        if (back !== t) expect(back - t, `${zone} ${new Date(t).toISOString()}`).toBe((zonedParts(back, zone).offsetMinutes - p.offsetMinutes) * -60_000);
      }
    }
  });
});

describe("start of a local day", () => {
  test.each([
    ["UTC", "2026-07-15", "UTC", "2026-07-15T00:00:00.000Z"],
    ["east of UTC", "2026-07-15", "Asia/Tokyo", "2026-07-14T15:00:00.000Z"],
    ["west of UTC", "2026-07-15", "America/Los_Angeles", "2026-07-15T07:00:00.000Z"],
    ["a day that springs forward (23 hours)", "2026-03-29", "Europe/Berlin", "2026-03-28T23:00:00.000Z"],
    ["a day that falls back (25 hours)", "2026-10-25", "Europe/Berlin", "2026-10-24T22:00:00.000Z"],
    // Midnight skipped: the day begins at 01:00 CDT, the first instant that exists.
    ["midnight skipped (Havana)", "2026-03-08", "America/Havana", "2026-03-08T05:00:00.000Z"],
    // Midnight twice (Santiago falls back at 24:00 to 23:00; Havana at 01:00 to 00:00): the first.
    ["midnight twice (Havana)", "2026-11-01", "America/Havana", "2026-11-01T04:00:00.000Z"],
    ["a day that never happened (Apia, 30 Dec 2011)", "2011-12-30", "Pacific/Apia", "2011-12-30T10:00:00.000Z"],
  ])("%s: %s in %s", (_what, day, zone, instant) => {
    expect(iso(startOfLocalDay(day, zone))).toBe(instant);
  });

  test("the start of the day an instant falls on", () => {
    expect(iso(startOfLocalDay(new Date("2026-10-25T20:00:00Z"), "Europe/Berlin"))).toBe("2026-10-24T22:00:00.000Z");
  });

  test("consecutive days are 23, 24 or 25 hours apart, never anything else, in every zone tested", () => {
    for (const zone of ["Europe/Berlin", "America/New_York", "Australia/Sydney", "America/Havana", "America/Santiago", "Asia/Kathmandu", "Pacific/Chatham"]) {
      let day = "2026-01-01";
      let start = startOfLocalDay(day, zone).getTime();
      for (let i = 0; i < 366; i++) {
        const next = addDays(day, 1);
        const nextStart = startOfLocalDay(next, zone).getTime();
        const hours = (nextStart - start) / 3600_000;
        expect([23, 23.5, 24, 24.5, 25], `${zone} ${day}`).toContain(hours);
        expect(localDay(nextStart, zone)).toBe(next);
        expect(localDay(nextStart - 1, zone)).toBe(day);
        day = next;
        start = nextStart;
      }
    }
  });
});

describe("adding local days", () => {
  test("keeps the wall time across a change: 23 or 25 hours", () => {
    const before = zonedInstant("2026-03-28T09:00", "Europe/Berlin");
    expect(iso(addLocalDays(before, 1, "Europe/Berlin"))).toBe(iso(zonedInstant("2026-03-29T09:00", "Europe/Berlin")));
    expect(addLocalDays(before, 1, "Europe/Berlin").getTime() - before.getTime()).toBe(23 * 3600_000);
    const autumn = zonedInstant("2026-10-24T09:00", "Europe/Berlin");
    expect(addLocalDays(autumn, 1, "Europe/Berlin").getTime() - autumn.getTime()).toBe(25 * 3600_000);
    expect(iso(addLocalDays(zonedInstant("2026-04-05T12:00", "Australia/Sydney"), -1, "Australia/Sydney"))).toBe("2026-04-04T01:00:00.000Z");
  });

  test("into a gap, forward; across months and years", () => {
    expect(iso(addLocalDays(zonedInstant("2026-03-28T02:30", "Europe/Berlin"), 1, "Europe/Berlin"))).toBe("2026-03-29T01:30:00.000Z");
    expect(iso(addLocalDays(new Date("2026-12-31T12:00:00Z"), 1, "UTC"))).toBe("2027-01-01T12:00:00.000Z");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2027-03-01", -1)).toBe("2027-02-28");
  });
});

describe("the next local hour", () => {
  test("strictly after now, in the zone, across a change", () => {
    expect(iso(nextLocalHour(new Date("2026-07-15T05:00:00Z"), "Europe/Berlin", 8))).toBe("2026-07-15T06:00:00.000Z");
    expect(iso(nextLocalHour(new Date("2026-07-15T06:00:00Z"), "Europe/Berlin", 8))).toBe("2026-07-16T06:00:00.000Z");
    expect(iso(nextLocalHour(new Date("2026-03-28T08:00:00Z"), "Europe/Berlin", 8))).toBe("2026-03-29T06:00:00.000Z");
    // 02:00 does not exist that night: it is 03:00 CEST.
    expect(iso(nextLocalHour(new Date("2026-03-28T12:00:00Z"), "Europe/Berlin", 2))).toBe("2026-03-29T01:00:00.000Z");
    expect(iso(nextLocalHour(new Date("2026-07-15T23:00:00Z"), "Pacific/Kiritimati", 8))).toBe("2026-07-16T18:00:00.000Z");
  });
});
