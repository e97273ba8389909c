import { describe, expect, test } from "vitest";
import type { Actor, RoleKey, StageKey } from "@/lib/workflow";
import {
  deliveryAtRisk,
  dueAt,
  formatOrderNumber,
  idSchema,
  mayReadStore,
  parseOrderNumber,
  projectedDelivery,
  queueStages,
  riskAt,
  seesAllStores,
  slaState,
} from "@/lib/workflow";

const HOUR = 3600_000;
const at = (iso: string) => new Date(iso);
const plus = (d: Date, ms: number) => new Date(d.getTime() + ms);

describe("slaState", () => {
  const entered = at("2030-03-01T08:00:00.000Z");

  test.each<[StageKey, number, number]>([
    ["storeOrder", 3, 4],
    ["dispatchReceiving", 1.5, 2],
    ["inProduction", 72, 120],
    ["dispatching", 18, 24],
    ["storeReceived", 1.5, 2],
  ])("%s: on track, at risk from %s h, overdue from %s h", (stage, riskHours, dueHours) => {
    expect(riskAt(stage, entered)).toEqual(plus(entered, riskHours * HOUR));
    expect(dueAt(stage, entered)).toEqual(plus(entered, dueHours * HOUR));
    expect(slaState(stage, entered, entered)).toBe("onTrack");
    expect(slaState(stage, entered, plus(entered, riskHours * HOUR - 1))).toBe("onTrack");
    expect(slaState(stage, entered, plus(entered, riskHours * HOUR))).toBe("atRisk");
    expect(slaState(stage, entered, plus(entered, dueHours * HOUR - 1))).toBe("atRisk");
    // Exactly at the due time the stage is overdue.
    expect(slaState(stage, entered, plus(entered, dueHours * HOUR))).toBe("overdue");
    expect(slaState(stage, entered, plus(entered, 1000 * HOUR))).toBe("overdue");
  });

  test("In Production: at risk after 3 days, overdue after 5", () => {
    expect(slaState("inProduction", entered, at("2030-03-04T07:59:59.999Z"))).toBe("onTrack");
    expect(slaState("inProduction", entered, at("2030-03-04T08:00:00.000Z"))).toBe("atRisk");
    expect(slaState("inProduction", entered, at("2030-03-06T07:59:59.999Z"))).toBe("atRisk");
    expect(slaState("inProduction", entered, at("2030-03-06T08:00:00.000Z"))).toBe("overdue");
  });
});

describe("deliveryAtRisk", () => {
  // Dispatching due at D; only Store Received (2 h) remains after it.
  test("fits when the remaining targets end on or before the end of the required day (UTC)", () => {
    const due = at("2030-03-10T21:59:59.999Z");
    const now = at("2030-03-10T12:00:00Z");
    expect(projectedDelivery("dispatching", due, now)).toEqual(at("2030-03-10T23:59:59.999Z"));
    expect(deliveryAtRisk("dispatching", due, "2030-03-10", now)).toBe(false);
    expect(deliveryAtRisk("dispatching", plus(due, 1), "2030-03-10", now)).toBe(true);
    expect(deliveryAtRisk("dispatching", due, "2030-03-11", now)).toBe(false);
  });

  test("counts every later stage's target", () => {
    // Store Order due at noon: then 2 h + 120 h + 24 h + 2 h = 148 h, i.e. 6 days 4 h later.
    const due = at("2030-03-01T12:00:00Z");
    const now = at("2030-03-01T09:00:00Z");
    expect(projectedDelivery("storeOrder", due, now)).toEqual(at("2030-03-07T16:00:00Z"));
    expect(deliveryAtRisk("storeOrder", due, "2030-03-07", now)).toBe(false);
    expect(deliveryAtRisk("storeOrder", due, "2030-03-06", now)).toBe(true);
  });

  test("an overdue stage projects from now, not from its past due time", () => {
    const due = at("2030-03-10T08:00:00Z");
    expect(deliveryAtRisk("storeReceived", due, "2030-03-10", at("2030-03-10T20:00:00Z"))).toBe(false);
    expect(deliveryAtRisk("storeReceived", due, "2030-03-10", at("2030-03-11T00:00:00Z"))).toBe(true);
    expect(deliveryAtRisk("dispatching", due, "2030-03-10", at("2030-03-10T22:00:00.001Z"))).toBe(true);
  });

  test("no required delivery date: never at risk", () => {
    expect(deliveryAtRisk("storeOrder", at("2030-03-01T12:00:00Z"), null, at("2031-01-01T00:00:00Z"))).toBe(false);
  });
});

describe("order numbers", () => {
  test("format as MO- and five digits at least", () => {
    expect(formatOrderNumber(1)).toBe("MO-00001");
    expect(formatOrderNumber(42)).toBe("MO-00042");
    expect(formatOrderNumber(123456)).toBe("MO-123456");
  });

  test.each([
    ["MO-00042", 42],
    ["mo-42", 42],
    ["MO42", 42],
    ["  42 ", 42],
    ["00042", 42],
    ["MO-123456", 123456],
  ])("parse %j as %i", (text, id) => {
    expect(parseOrderNumber(text)).toBe(id);
  });

  test.each(["", "MO-", "oak shelf", "MO-42x", "42 shelves", "MO--42", "-42", "4.2", "2147483648", "99999999999", "MO-0", "0"])(
    "%j is no order number",
    (text) => {
      expect(parseOrderNumber(text)).toBeNull();
    },
  );

  test("round trip", () => {
    for (const id of [1, 7, 99999, 100000, 2147483647]) expect(parseOrderNumber(formatOrderNumber(id))).toBe(id);
  });
});

test("idSchema accepts positive int4 ids only", () => {
  expect(idSchema.safeParse("42").data).toBe(42);
  expect(idSchema.safeParse("2147483647").success).toBe(true);
  for (const bad of ["0", "-1", "1.5", "abc", "2147483648", "99999999999"]) expect(idSchema.safeParse(bad).success, bad).toBe(false);
});

const actor = (roles: RoleKey[], storeIds: number[] = []): Actor => ({ id: 1, name: "T", email: "t@example.com", roles, storeIds });

describe("queueStages: stages where one of the account's roles is owner or worker", () => {
  test.each<[RoleKey, StageKey[]]>([
    ["storeManager", ["storeOrder", "storeReceived"]],
    ["dispatchTeam", ["storeOrder", "dispatchReceiving", "dispatching", "storeReceived"]],
    ["productionTeam", ["dispatchReceiving", "inProduction"]],
    ["qualityControl", ["inProduction"]],
    ["ops", []],
    ["admin", []],
  ])("%s", (role, expected) => {
    expect(queueStages(actor([role]))).toEqual(expected);
  });

  test("several roles: the union, in stage order", () => {
    expect(queueStages(actor(["qualityControl", "storeManager"]))).toEqual(["storeOrder", "inProduction", "storeReceived"]);
  });
});

describe("mayReadStore", () => {
  test("a store manager reads only the stores the account belongs to", () => {
    expect(mayReadStore(actor(["storeManager"], [1]), 1)).toBe(true);
    expect(mayReadStore(actor(["storeManager"], [1]), 2)).toBe(false);
    expect(mayReadStore(actor(["storeManager"], [1, 2]), 2)).toBe(true);
    expect(mayReadStore(actor(["storeManager"], []), 1)).toBe(false);
  });

  test.each<RoleKey>(["dispatchTeam", "productionTeam", "qualityControl", "ops", "admin"])("%s reads every store", (role) => {
    expect(mayReadStore(actor([role]), 1)).toBe(true);
    expect(mayReadStore(actor([role]), 999)).toBe(true);
    expect(seesAllStores(actor([role]))).toBe(true);
  });

  test("store membership alone grants nothing without the store manager role", () => {
    expect(mayReadStore(actor([], [1]), 1)).toBe(false);
    expect(seesAllStores(actor(["storeManager"], [1]))).toBe(false);
  });

  test("a store manager who also has an all-stores role reads every store", () => {
    expect(mayReadStore(actor(["storeManager", "dispatchTeam"], [1]), 2)).toBe(true);
  });
});
