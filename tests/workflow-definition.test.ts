import { describe, expect, test } from "vitest";
import { allTodoKeys, fieldSchemas, fields, roleKeys, roles, stageKeys, stages } from "@/lib/workflow";

/**
 * A second, independent statement of SPEC.md: the expected values are written out here by hand,
 * so a change to the definition that drifts from the spec fails this test.
 */

const HOUR = 60 * 60 * 1000;

test("six roles with the keys and labels of SPEC.md", () => {
  expect(roles.map(({ key, label }) => ({ key, label }))).toEqual([
    { key: "storeManager", label: "Store Manager" },
    { key: "dispatchTeam", label: "Dispatch Team" },
    { key: "productionTeam", label: "Production Team" },
    { key: "qualityControl", label: "Quality Control" },
    { key: "ops", label: "Operations (read-only)" },
    { key: "admin", label: "Administrator" },
  ]);
  expect(roleKeys).toEqual(["storeManager", "dispatchTeam", "productionTeam", "qualityControl", "ops", "admin"]);
});

test("only store managers are limited to their stores", () => {
  expect(Object.fromEntries(roles.map((r) => [r.key, r.scope]))).toEqual({
    storeManager: "store",
    dispatchTeam: "all",
    productionTeam: "all",
    qualityControl: "all",
    ops: "all",
    admin: "all",
  });
});

test("five stages with number, key, name, owner and workers of SPEC.md", () => {
  expect(stages.map(({ number, key, name, owner, workers }) => ({ number, key, name, owner, workers }))).toEqual([
    { number: 1, key: "storeOrder", name: "Store Order", owner: "storeManager", workers: ["dispatchTeam"] },
    { number: 2, key: "dispatchReceiving", name: "Receiving by Dispatch", owner: "dispatchTeam", workers: ["productionTeam"] },
    { number: 3, key: "inProduction", name: "In Production", owner: "productionTeam", workers: ["qualityControl"] },
    { number: 4, key: "dispatching", name: "Dispatching", owner: "dispatchTeam", workers: ["dispatchTeam"] },
    { number: 5, key: "storeReceived", name: "Store Received", owner: "storeManager", workers: ["storeManager", "dispatchTeam"] },
  ]);
  expect(stageKeys).toEqual(["storeOrder", "dispatchReceiving", "inProduction", "dispatching", "storeReceived"]);
});

describe("stage targets", () => {
  test("due after 4 h, 2 h, 5 days, 1 day, 2 h, labelled as SPEC.md", () => {
    expect(stages.map((s) => ({ key: s.key, dueHours: s.target.dueAfterMs / HOUR, label: s.target.label }))).toEqual([
      { key: "storeOrder", dueHours: 4, label: "4 hours" },
      { key: "dispatchReceiving", dueHours: 2, label: "2 hours" },
      { key: "inProduction", dueHours: 120, label: "3–5 days" },
      { key: "dispatching", dueHours: 24, label: "1 day" },
      { key: "storeReceived", dueHours: 2, label: "2 hours" },
    ]);
  });

  test("In Production is at risk after 3 days (72 h)", () => {
    expect(stages[2].target.riskAfterMs).toBe(72 * HOUR);
  });

  test("every stage turns at risk before it turns overdue", () => {
    for (const s of stages) {
      expect(s.target.riskAfterMs, s.key).toBeGreaterThan(0);
      expect(s.target.riskAfterMs, s.key).toBeLessThan(s.target.dueAfterMs);
    }
  });
});

test("the output fields of SPEC.md, three a stage, with their labels and required flags, and the note a delivery gone wrong needs", () => {
  const byStage = stages.map((s) => ({ stage: s.key, fields: s.fields.map(({ key, label, required }) => ({ key, label, required })) }));
  expect(byStage).toEqual([
    {
      stage: "storeOrder",
      fields: [
        { key: "productSpecifications", label: "Product Specifications", required: true },
        { key: "orderQuantity", label: "Order Quantity", required: true },
        { key: "requiredDeliveryDate", label: "Required Delivery Date", required: true },
      ],
    },
    {
      stage: "dispatchReceiving",
      fields: [
        { key: "orderFeasibility", label: "Order Feasibility", required: true },
        { key: "productionSchedule", label: "Production Schedule", required: true },
        { key: "specialRequirements", label: "Special Requirements", required: false },
      ],
    },
    {
      stage: "inProduction",
      fields: [
        { key: "productionStatus", label: "Production Status", required: true },
        { key: "completionPercentage", label: "Completion Percentage", required: true },
        { key: "qualityCheckResults", label: "Quality Check Results", required: true },
      ],
    },
    {
      stage: "dispatching",
      fields: [
        { key: "shipmentMethod", label: "Shipment Method", required: true },
        { key: "trackingNumber", label: "Tracking Number", required: true },
        { key: "estimatedDeliveryTime", label: "Estimated Delivery Time", required: true },
      ],
    },
    {
      stage: "storeReceived",
      fields: [
        { key: "receiptConfirmation", label: "Receipt Confirmation", required: true },
        { key: "productCondition", label: "Product Condition", required: true },
        { key: "conditionNote", label: "Condition Note", required: false },
        { key: "customerFeedback", label: "Customer Feedback", required: false },
      ],
    },
  ]);
  expect(fields).toHaveLength(16);
});

test("each field has exactly one schema, and no schema is without a field", () => {
  expect(Object.keys(fieldSchemas).sort()).toEqual(fields.map((f) => f.key).sort());
});

test("the enumerated field values of SPEC.md", () => {
  const values = (key: string) => fields.find((f) => f.key === key)!.input;
  const optionValues = (key: string) => {
    const input = values(key);
    return "options" in input ? input.options.map((o) => o.value) : null;
  };
  expect(optionValues("orderFeasibility")).toEqual(["feasible", "notFeasible"]);
  expect(optionValues("productionStatus")).toEqual(["notStarted", "inProgress", "onHold", "completed"]);
  expect(optionValues("qualityCheckResults")).toEqual(["pass", "fail"]);
  expect(optionValues("shipmentMethod")).toEqual(["courier", "freight", "ownFleet", "storePickup"]);
  expect(optionValues("productCondition")).toEqual(["good", "minorDamage", "damaged", "wrongSpecification"]);
  // The schemas accept exactly these values.
  expect(fieldSchemas.shipmentMethod.safeParse("ownFleet").success).toBe(true);
  expect(fieldSchemas.shipmentMethod.safeParse("drone").success).toBe(false);
  expect(fieldSchemas.productCondition.safeParse("wrongSpecification").success).toBe(true);
  expect(fieldSchemas.productionStatus.safeParse("paused").success).toBe(false);
});

test("field editors narrow stage 3 only: production status and completion to production, inspections to QC", () => {
  const editors = Object.fromEntries(fields.filter((f) => f.editors).map((f) => [f.key, f.editors]));
  expect(editors).toEqual({
    productionStatus: ["productionTeam"],
    completionPercentage: ["productionTeam"],
    qualityCheckResults: ["qualityControl"],
  });
});

test("fifteen to-dos, three a stage, in the order of the card", () => {
  expect(stages.map((s) => s.todos.map((t) => t.label))).toEqual([
    ["Submit custom product specifications", "Define quantity and delivery requirements", "Attach reference materials or designs"],
    ["Review order specifications", "Verify production capacity", "Schedule production slot"],
    ["Manufacture products according to specifications", "Perform in-process quality checks", "Update production progress"],
    ["Package finished products", "Arrange transportation", "Send shipment notification"],
    ["Verify product receipt", "Check product quality and specifications", "Confirm order completion"],
  ]);
  expect(allTodoKeys).toHaveLength(15);
  expect(new Set(allTodoKeys).size).toBe(15);
});

test("the value rules of SPEC.md, as the field schemas enforce them", () => {
  const ok = <K extends keyof typeof fieldSchemas>(key: K, value: unknown) => fieldSchemas[key].safeParse(value).success;
  expect(ok("orderQuantity", "1")).toBe(true);
  expect(ok("orderQuantity", "0")).toBe(false);
  expect(ok("orderQuantity", "2.5")).toBe(false);
  expect(ok("requiredDeliveryDate", "2999-12-31")).toBe(true);
  expect(ok("requiredDeliveryDate", "2000-01-01")).toBe(false);
  expect(ok("orderFeasibility", { decision: "feasible" })).toBe(true);
  expect(ok("orderFeasibility", { decision: "notFeasible", reason: "" })).toBe(false);
  expect(ok("orderFeasibility", { decision: "notFeasible", reason: "No oak in stock" })).toBe(true);
  expect(ok("productionSchedule", { start: "2030-01-02", end: "2030-01-01" })).toBe(false);
  expect(ok("completionPercentage", "0")).toBe(true);
  expect(ok("completionPercentage", "100")).toBe(true);
  expect(ok("completionPercentage", "101")).toBe(false);
  expect(ok("qualityCheckResults", { result: "pass" })).toBe(true);
  expect(ok("qualityCheckResults", { result: "fail", notes: "" })).toBe(false);
  expect(ok("qualityCheckResults", { result: "fail", notes: "Scratched top" })).toBe(true);
  expect(ok("estimatedDeliveryTime", "2030-01-01T10:00")).toBe(true);
  expect(ok("receiptConfirmation", { confirmedBy: "" })).toBe(false);
  expect(ok("customerFeedback", { rating: "5" })).toBe(true);
  expect(ok("customerFeedback", { rating: "0" })).toBe(false);
  expect(ok("customerFeedback", { rating: "6" })).toBe(false);
});
