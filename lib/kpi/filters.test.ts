import { describe, expect, test } from "vitest";
import { kpiSearchParams, parseKpiFilter, periodFilter } from "./filters";

const now = new Date("2025-03-31T15:00:00Z");

describe("parseKpiFilter", () => {
  test("defaults to the last 90 days, today included", () => {
    const { filter, errors } = parseKpiFilter({}, now);
    expect(errors).toEqual({});
    expect(filter).toMatchObject({ period: "90", from: "2025-01-01", to: "2025-03-31" });
    expect(filter.start.toISOString()).toBe("2025-01-01T00:00:00.000Z");
    expect(filter.end.toISOString()).toBe("2025-04-01T00:00:00.000Z");
  });

  test("last 7 days are today and the six before", () => {
    expect(parseKpiFilter({ period: "7" }, now).filter).toMatchObject({ from: "2025-03-25", to: "2025-03-31" });
  });

  test("a custom range and a store; the form shows the range in use", () => {
    const { filter, values } = parseKpiFilter({ period: "custom", from: "2025-02-01", to: "2025-02-28", store: "2" }, now);
    expect(filter).toMatchObject({ period: "custom", from: "2025-02-01", to: "2025-02-28", storeId: 2 });
    expect(filter.end.toISOString()).toBe("2025-03-01T00:00:00.000Z");
    expect(values).toEqual({ period: "custom", from: "2025-02-01", to: "2025-02-28", store: "2" });
  });

  test("dates are ignored unless the period is custom", () => {
    const { filter, values } = parseKpiFilter({ period: "30", from: "2020-01-01", to: "2020-01-02" }, now);
    expect(filter).toMatchObject({ from: "2025-03-02", to: "2025-03-31" });
    expect(values).toMatchObject({ from: "2025-03-02", to: "2025-03-31" });
  });

  test("an unusable custom range gives field messages and falls back to the default period", () => {
    const reversed = parseKpiFilter({ period: "custom", from: "2025-03-10", to: "2025-03-01", store: "1" }, now);
    expect(reversed.errors).toEqual({ to: ["The last day cannot be before the first"] });
    expect(reversed.filter).toMatchObject({ period: "90", storeId: 1 });
    expect(reversed.values).toMatchObject({ period: "custom", from: "2025-03-10", to: "2025-03-01" });
    expect(parseKpiFilter({ period: "custom" }, now).errors).toEqual({ from: ["Choose the first day"], to: ["Choose the last day"] });
    expect(parseKpiFilter({ period: "custom", from: "2025-02-30", to: "2025-03-01" }, now).errors).toEqual({ from: ["Enter a real date"] });
    expect(parseKpiFilter({ period: "custom", from: "2020-01-01", to: "2025-03-01" }, now).errors.to).toEqual(["Choose at most two years"]);
  });

  test("junk in the URL is ignored, not an error", () => {
    const { filter, errors } = parseKpiFilter({ period: "forever", store: "", extra: "x" }, now);
    expect(errors).toEqual({});
    expect(filter).toMatchObject({ period: "90", storeId: undefined });
    expect(parseKpiFilter({ period: ["7", "30"] }, now).filter.period).toBe("7");
  });

  test("a store that is no id is refused, not widened to every store", () => {
    for (const store of ["north", "99999999999", "2147483648", "0", "-1", "0x2", "02", "2.0", "1e3"]) {
      const { filter, errors } = parseKpiFilter({ store }, now);
      expect(errors, store).toEqual({ store: ["Choose a store from the list"] });
      expect(filter.storeId, store).toBeUndefined();
    }
  });

  test("an impossible or out-of-range day is a field message", () => {
    for (const from of ["2025-02-29", "2024-02-30", "2025-04-31", "2025-13-01", "0000-01-01"]) {
      expect(parseKpiFilter({ period: "custom", from, to: "2025-03-01" }, now).errors.from, from).toHaveLength(1);
    }
  });
});

test("kpiSearchParams round-trips a filter", () => {
  const custom = periodFilter("custom", "2025-02-01", "2025-02-28", 3);
  expect(String(kpiSearchParams(custom))).toBe("period=custom&from=2025-02-01&to=2025-02-28&store=3");
  expect(parseKpiFilter(Object.fromEntries(kpiSearchParams(custom)), now).filter).toEqual(custom);
  expect(String(kpiSearchParams(parseKpiFilter({ period: "7" }, now).filter))).toBe("period=7");
});
