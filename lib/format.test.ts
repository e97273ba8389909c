import { expect, test } from "vitest";
import { zoneFor } from "@/lib/workflow";
import { formatDate, formatDateTime } from "./format";

test("an instant reads in the viewer's zone and names it; a calendar date has no zone", () => {
  const at = "2026-11-25T19:34:00Z";
  expect(formatDateTime(at)).toBe("25 Nov 2026, 19:34 UTC");
  expect(formatDateTime(at, "Europe/Berlin")).toBe("25 Nov 2026, 20:34 CET");
  expect(formatDateTime(at, "Asia/Tokyo")).toBe("26 Nov 2026, 04:34 GMT+9");
  expect(formatDate("2026-12-09")).toBe("9 Dec 2026");
});

test("across a daylight-saving change the wall clock moves, the elapsed target does not", () => {
  // Entered Saturday 09:00 in Berlin (CET); a 1-day target is due 24 hours later, after clocks went back.
  const entered = new Date("2026-10-24T07:00:00Z");
  const due = new Date(entered.getTime() + 24 * 3600_000);
  expect(formatDateTime(entered, "Europe/Berlin")).toBe("24 Oct 2026, 09:00 CEST");
  expect(formatDateTime(due, "Europe/Berlin")).toBe("25 Oct 2026, 08:00 CET");
});

test("a store manager reads an order's clocks in the store's zone; everyone else in their own", () => {
  expect(zoneFor({ roles: ["storeManager"], timeZone: "Europe/London" }, "America/New_York")).toBe("America/New_York");
  expect(zoneFor({ roles: ["dispatchTeam"], timeZone: "Europe/London" }, "America/New_York")).toBe("Europe/London");
  expect(zoneFor({ roles: ["storeManager", "ops"], timeZone: "Europe/London" }, "America/New_York")).toBe("Europe/London");
  expect(zoneFor({ roles: ["ops"] }, null)).toBe("UTC");
});
