import { describe, expect, test } from "vitest";
import { addWorkingDays, addWorkingHours, aroundTheClock, calendarFrom, endOfPlannedDay, isWorking } from "./calendar";
import { zonedInstant } from "./zones";

/**
 * Working time by hand: each expectation is a wall time read off a calendar, with the arithmetic
 * in the comment. Weekdays of December 2026: Fri 4, Mon 7, Mon 14, Tue 15, Thu 24, Mon 28.
 */

const weekdays = (open: string, close: string) => [null, ...Array.from({ length: 5 }, () => ({ open, close })), null];
const everyDay = (open: string, close: string) => Array.from({ length: 7 }, () => ({ open, close }));
const wall = (zone: string) => (s: string) => zonedInstant(s, zone);

const berlin = calendarFrom("Europe/Berlin", weekdays("08:00", "17:00"), ["2026-12-24", "2026-12-25"]);
const b = wall("Europe/Berlin");

describe("working hours", () => {
  test("stop at closing and go on at the next opening, over the weekend", () => {
    // Friday 16:00 + 2 h: 1 h on Friday, 1 h from Monday 08:00.
    expect(addWorkingHours(berlin, b("2026-12-04T16:00"), 2)).toEqual(b("2026-12-07T09:00"));
  });
  test("skip holidays", () => {
    // Wednesday 23 Dec 16:00 + 2 h: 1 h on Wednesday; Thursday and Friday are holidays, then the weekend.
    expect(addWorkingHours(berlin, b("2026-12-23T16:00"), 2)).toEqual(b("2026-12-28T09:00"));
  });
  test("a count that ends at closing ends at closing", () => {
    expect(addWorkingHours(berlin, b("2026-12-07T15:00"), 2)).toEqual(b("2026-12-07T17:00"));
  });
  test("start counting at the opening when started before it, or at night", () => {
    expect(addWorkingHours(berlin, b("2026-12-07T06:00"), 1)).toEqual(b("2026-12-07T09:00"));
    // An order created at 20:16 in Berlin, 4 working hours: Tuesday 12:00, not 00:16.
    expect(addWorkingHours(berlin, b("2026-12-07T20:16"), 4)).toEqual(b("2026-12-08T12:00"));
  });
  test("count backwards", () => {
    expect(addWorkingHours(berlin, b("2026-12-07T09:00"), -2)).toEqual(b("2026-12-04T16:00"));
  });
  test("is working inside the hours only", () => {
    expect(isWorking(berlin, b("2026-12-07T08:00"))).toBe(true);
    expect(isWorking(berlin, b("2026-12-07T17:00"))).toBe(false);
    expect(isWorking(berlin, b("2026-12-05T12:00"))).toBe(false);
    expect(isWorking(berlin, b("2026-12-24T12:00"))).toBe(false);
  });
});

describe("daylight saving", () => {
  const allDay = calendarFrom("Europe/Berlin", everyDay("00:00", "24:00"));
  test("a 23-hour day counts 23 hours (spring forward, 29 Mar 2026)", () => {
    // Saturday 23:00 CET (22:00Z) + 3 h of real time: 01:00Z, which is 03:00 CEST.
    expect(addWorkingHours(allDay, b("2026-03-28T23:00"), 3).toISOString()).toBe("2026-03-29T01:00:00.000Z");
  });
  test("a 25-hour day counts 25 hours (fall back, 25 Oct 2026)", () => {
    // Saturday 23:00 CEST (21:00Z) + 4 h: 01:00Z, the second 02:00 (CET).
    expect(addWorkingHours(allDay, b("2026-10-24T23:00"), 4).toISOString()).toBe("2026-10-25T01:00:00.000Z");
  });
  test("an opening in the gap opens when the clock reaches it after the gap", () => {
    const night = calendarFrom("Europe/Berlin", everyDay("02:30", "06:00"));
    // Sunday 29 Mar: 02:30 does not exist; the day opens at 03:30 CEST (01:30Z) and has 2.5 h.
    expect(addWorkingHours(night, b("2026-03-29T00:00"), 1).toISOString()).toBe("2026-03-29T02:30:00.000Z");
    expect(addWorkingHours(night, b("2026-03-29T00:00"), 3).toISOString()).toBe("2026-03-30T01:00:00.000Z"); // 2.5 h Sunday, 0.5 h from Monday 02:30 CEST (00:30Z)
  });
  test("a closing in the overlap closes at its later reading", () => {
    const night = calendarFrom("Europe/Berlin", everyDay("01:00", "02:30"));
    // Sunday 25 Oct: 01:00 CEST (23:00Z Sat) to 02:30 CET (01:30Z): 2.5 hours of work that night.
    expect(addWorkingHours(night, b("2026-10-25T00:00"), 2.5).toISOString()).toBe("2026-10-25T01:30:00.000Z");
  });
  test("working hours in New York over its spring-forward weekend (8 Mar 2026)", () => {
    const ny = calendarFrom("America/New_York", weekdays("09:00", "17:00"));
    // Friday 6 Mar 16:00 EST (21:00Z) + 2 h: 1 h Friday, Monday 10:00 EDT (14:00Z).
    expect(addWorkingHours(ny, zonedInstant("2026-03-06T16:00", "America/New_York"), 2).toISOString()).toBe("2026-03-09T14:00:00.000Z");
  });
});

describe("zones either side of UTC", () => {
  test("Sydney (ahead of UTC, summer time in December)", () => {
    const sydney = calendarFrom("Australia/Sydney", weekdays("09:00", "17:00"));
    // Friday 4 Dec 16:00 AEDT is 05:00Z the same day; + 2 h: Monday 7 Dec 10:00 AEDT = Sunday 23:00Z.
    expect(addWorkingHours(sydney, zonedInstant("2026-12-04T16:00", "Australia/Sydney"), 2).toISOString()).toBe("2026-12-06T23:00:00.000Z");
  });
  test("Los Angeles (behind UTC): a Friday afternoon is Saturday in UTC", () => {
    const la = calendarFrom("America/Los_Angeles", weekdays("09:00", "17:00"));
    // Friday 4 Dec 16:30 PST = Saturday 00:30Z; + 1 h: Monday 09:30 PST = 17:30Z.
    expect(addWorkingHours(la, zonedInstant("2026-12-04T16:30", "America/Los_Angeles"), 1).toISOString()).toBe("2026-12-07T17:30:00.000Z");
  });
});

describe("working days", () => {
  test("a working day from Monday 10:00 is Tuesday 10:00; from Friday it is Monday", () => {
    expect(addWorkingDays(berlin, b("2026-12-07T10:00"), 1)).toEqual(b("2026-12-08T10:00"));
    expect(addWorkingDays(berlin, b("2026-12-04T10:00"), 1)).toEqual(b("2026-12-07T10:00"));
    expect(addWorkingDays(berlin, b("2026-12-04T10:00"), 5)).toEqual(b("2026-12-11T10:00"));
  });
  test("from a day off, the days start at the next opening and end at a closing", () => {
    expect(addWorkingDays(berlin, b("2026-12-05T12:00"), 1)).toEqual(b("2026-12-07T17:00"));
  });
  test("days of different lengths count in proportion", () => {
    const short = calendarFrom("Europe/Berlin", [null, { open: "08:00", close: "17:00" }, { open: "08:00", close: "12:00" }, null, null, null, null]);
    // Monday 12:30 is half of Monday's 9 hours; a day later is half of Tuesday's 4 hours: 10:00.
    expect(addWorkingDays(short, b("2026-12-07T12:30"), 1)).toEqual(b("2026-12-08T10:00"));
  });
  test("holidays are no working days", () => {
    // Wednesday 23 Dec 10:00 + 1 working day: Thursday and Friday off, the weekend, Monday 28 Dec 10:00.
    expect(addWorkingDays(berlin, b("2026-12-23T10:00"), 1)).toEqual(b("2026-12-28T10:00"));
  });
  test("one working day before a closing is that day's opening", () => {
    expect(addWorkingDays(berlin, b("2026-12-15T17:00"), -1)).toEqual(b("2026-12-15T08:00"));
    expect(addWorkingDays(berlin, b("2026-12-28T12:00"), -1)).toEqual(b("2026-12-23T12:00"));
  });
});

describe("the end of a planned day", () => {
  test("a working day ends at closing", () => {
    expect(endOfPlannedDay(berlin, "2026-12-15")).toEqual(b("2026-12-15T17:00"));
  });
  test("a day off ends at its last millisecond, in the calendar's zone", () => {
    expect(endOfPlannedDay(berlin, "2026-12-24").toISOString()).toBe("2026-12-24T22:59:59.999Z");
  });
  test("around the clock, the last millisecond of the day", () => {
    expect(endOfPlannedDay(aroundTheClock("UTC"), "2026-12-15").toISOString()).toBe("2026-12-15T23:59:59.999Z");
    expect(endOfPlannedDay(aroundTheClock("Pacific/Auckland"), "2026-12-15").toISOString()).toBe("2026-12-15T10:59:59.999Z");
  });
});

describe("around the clock", () => {
  test("hours and days are plain hours and days", () => {
    const start = new Date("2026-12-04T20:16:00Z");
    expect(addWorkingHours(aroundTheClock(), start, 4).toISOString()).toBe("2026-12-05T00:16:00.000Z");
    expect(addWorkingDays(aroundTheClock("Europe/Berlin"), start, 5).toISOString()).toBe("2026-12-09T20:16:00.000Z");
  });
  test("a calendar without working hours works around the clock", () => {
    expect(calendarFrom("Europe/Berlin", Array.from({ length: 7 }, () => null)).week).toBeNull();
  });
});
