import { describe, expect, test } from "vitest";
import { type Firing, tellOnce } from "./evaluator";
import { matchesRuleValue, normaliseRuleValue, ruleValueLabel } from "./values";

describe("rule values: what people see, what is stored", () => {
  test("a choice field's label or key, any case, trimmed, is its key; anything else is no option", () => {
    for (const typed of ["Courier", "courier", "  COURIER ", "cOuRiEr"]) expect(normaliseRuleValue("shipmentMethod", typed)).toBe("courier");
    expect(normaliseRuleValue("shipmentMethod", "Own fleet")).toBe("ownFleet");
    expect(normaliseRuleValue("orderFeasibility", "not feasible")).toBe("notFeasible");
    expect(normaliseRuleValue("qualityCheckResults", "FAIL")).toBe("fail");
    expect(normaliseRuleValue("shipmentMethod", "Bicycle")).toBeNull();
    expect(normaliseRuleValue("trackingNumber", "  TRK-1 ")).toBe("TRK-1");
  });

  test("matching: a choice by its key (a label stored earlier reads the same); text trimmed and case-insensitive", () => {
    expect(matchesRuleValue("shipmentMethod", "courier", "courier")).toBe(true);
    expect(matchesRuleValue("shipmentMethod", "courier", "Courier")).toBe(true);
    expect(matchesRuleValue("shipmentMethod", "freight", "Courier")).toBe(false);
    expect(matchesRuleValue("shipmentMethod", null, "courier")).toBe(false);
    expect(matchesRuleValue("trackingNumber", "TRK-42 ", "trk-42")).toBe(true);
    expect(matchesRuleValue("trackingNumber", "TRK-420", "trk-42")).toBe(false);
  });

  test("the card shows the label", () => {
    expect(ruleValueLabel("shipmentMethod", "courier")).toBe("Courier");
    expect(ruleValueLabel("shipmentMethod", "COURIER")).toBe("Courier");
    expect(ruleValueLabel("trackingNumber", "TRK-1")).toBe("TRK-1");
  });
});

describe("one alert per recipient per order per event", () => {
  const firing = (ruleId: number, orderId: number, triggerType: Firing["triggerType"] = "stage_overdue", occasion = "stage-entry:1"): Firing => ({
    ruleId,
    triggerType,
    orderId,
    storeId: 1,
    stage: "inProduction",
    occasion,
    recipients: [],
    message: "",
    priority: "normal",
    people: { assigneeId: null, commenterIds: [] },
  });
  test("the lowest-numbered rule tells; another order, occasion or trigger is another event", () => {
    const a = firing(6, 1);
    const b = firing(2, 1);
    const c = firing(6, 2);
    const d = firing(7, 1, "stage_at_risk");
    const told = tellOnce([a, b, c, d], () => [10, 11]);
    expect(told.get(b)).toEqual([10, 11]);
    expect(told.get(a)).toEqual([]);
    expect(told.get(c)).toEqual([10, 11]);
    expect(told.get(d)).toEqual([10, 11]);
    const partly = tellOnce([a, b], (f) => (f.ruleId === 2 ? [10] : [10, 11]));
    expect(partly.get(a)).toEqual([11]);
  });
});
