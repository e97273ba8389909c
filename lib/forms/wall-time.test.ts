import { describe, expect, it } from "vitest";
import { instantOfWallTime, wallTimeOf } from "./wall-time";

describe("wall times in a named zone", () => {
  it("reads a typed wall time in the zone the form was drawn in", () => {
    expect(instantOfWallTime("2026-07-01T09:30", "Europe/Berlin")).toBe("2026-07-01T07:30:00.000Z");
    expect(instantOfWallTime("2026-01-15T09:30", "Europe/Berlin")).toBe("2026-01-15T08:30:00.000Z");
    expect(instantOfWallTime("2026-07-01T09:30", "UTC")).toBe("2026-07-01T09:30:00.000Z");
    expect(instantOfWallTime("2026-07-01T09:30", "America/New_York")).toBe("2026-07-01T13:30:00.000Z");
  });

  it("shows an instant as the wall time of the zone, and round-trips", () => {
    expect(wallTimeOf("2026-07-01T07:30:00.000Z", "Europe/Berlin")).toBe("2026-07-01T09:30");
    expect(wallTimeOf("2026-12-31T23:30:00.000Z", "Asia/Tokyo")).toBe("2027-01-01T08:30");
    for (const zone of ["UTC", "Europe/Berlin", "America/Los_Angeles", "Asia/Kolkata", "Australia/Lord_Howe"]) {
      const wall = wallTimeOf("2026-03-29T12:15:00.000Z", zone);
      expect(instantOfWallTime(wall, zone)).toBe("2026-03-29T12:15:00.000Z");
    }
  });

  it("leaves anything else for the field's schema to judge", () => {
    expect(instantOfWallTime("2026-02-31T10:00", "UTC")).toBe("2026-02-31T10:00");
    expect(instantOfWallTime("tomorrow", "UTC")).toBe("tomorrow");
    expect(instantOfWallTime("2026-07-01T09:30:00.000Z", "UTC")).toBe("2026-07-01T09:30:00.000Z");
    expect(wallTimeOf("", "UTC")).toBe("");
  });
});
