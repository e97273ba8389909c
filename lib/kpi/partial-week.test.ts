import { describe, expect, test } from "vitest";
import { partialWeek, partialWeekText } from "./partial-week";

// 2026-11-30 is a Monday.
const text = (...args: Parameters<typeof partialWeek>) => {
  const p = partialWeek(...args);
  return p && partialWeekText(p);
};
const period = (from: string, toExclusive: string) => ({ start: new Date(`${from}T00:00:00Z`), end: new Date(`${toExclusive}T00:00:00Z`) });

describe("partial weeks of the KPI trend", () => {
  test("the week still under way is partial, counted in the days begun", () => {
    // Wednesday 10:00: Monday, Tuesday and part of Wednesday.
    const now = new Date("2026-12-02T10:00:00Z");
    expect(text("2026-11-30", period("2026-11-03", "2026-12-03"), now)).toBe("3 of 7 days so far");
    // The Sunday evening of a week is still not the whole week.
    expect(text("2026-11-30", period("2026-11-03", "2026-12-07"), new Date("2026-12-06T22:00:00Z"))).toBe("7 of 7 days so far");
  });
  test("a week cut by the period's first or last day is partial; a week inside it is whole", () => {
    const now = new Date("2026-12-20T12:00:00Z");
    // From Thursday 5 November: Thursday to Sunday of that week.
    expect(text("2026-11-02", period("2026-11-05", "2026-12-01"), now)).toBe("4 of 7 days in the period");
    // To Monday 30 November (the end is the day after): one day of that week.
    expect(text("2026-11-30", period("2026-11-05", "2026-12-01"), now)).toBe("1 of 7 days in the period");
    expect(text("2026-11-09", period("2026-11-05", "2026-12-01"), now)).toBeNull();
  });
});
