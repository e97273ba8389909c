import { describe, expect, test } from "vitest";
import { type FieldValues, completion, holdReason, queueScope, returnTo } from "@/lib/workflow";

/** The transition function, stage by stage: what completing needs, and where the order goes. */

const order = (stage: Parameters<typeof completion>[0]["stage"], fields: FieldValues, doneTodos: string[] = []) => ({ stage, fields, doneTodos });

describe("completion", () => {
  test("stage 1 names each missing required field and advances to Receiving by Dispatch", () => {
    const empty = completion(order("storeOrder", {}), null);
    expect(empty.errors).toEqual({
      productSpecifications: ["Product Specifications is required"],
      orderQuantity: ["Order Quantity is required"],
      requiredDeliveryDate: ["Required Delivery Date is required"],
    });
    expect(empty.outcome).toEqual({ kind: "advance", to: "dispatchReceiving" });
    expect(empty.openTodos.map((t) => t.key)).toEqual(["submitSpecifications", "defineRequirements", "attachReferences"]);
  });

  test("stage 2 not feasible goes on hold without a schedule; feasible needs one", () => {
    const held = completion(order("dispatchReceiving", { orderFeasibility: { decision: "notFeasible", reason: "No walnut" } }), null);
    expect(held.errors).toEqual({});
    expect(held.outcome).toEqual({ kind: "hold", reason: "No walnut" });
    const feasible = completion(order("dispatchReceiving", { orderFeasibility: { decision: "feasible", reason: "" } }), null);
    expect(feasible.errors).toEqual({ productionSchedule: ["Production Schedule is required"] });
    expect(feasible.outcome).toEqual({ kind: "advance", to: "inProduction" });
  });

  test("stage 2: a schedule ending after the delivery date needs the confirmation", () => {
    const fields: FieldValues = {
      requiredDeliveryDate: "2030-01-10",
      orderFeasibility: { decision: "feasible", reason: "" },
      productionSchedule: { start: "2030-01-01", end: "2030-01-12", confirmed: false },
    };
    expect(Object.keys(completion(order("dispatchReceiving", fields), null).errors)).toEqual(["productionSchedule.end"]);
    const confirmed = { ...fields, productionSchedule: { ...fields.productionSchedule!, confirmed: true } };
    expect(completion(order("dispatchReceiving", confirmed), null).errors).toEqual({});
  });

  test("stage 3 gate: Completed, 100 % and a passing latest inspection", () => {
    const done: FieldValues = { productionStatus: "completed", completionPercentage: 100, qualityCheckResults: { result: "pass", notes: "" } };
    expect(completion(order("inProduction", done), "pass").errors).toEqual({});
    expect(completion(order("inProduction", done), "fail").errors).toEqual({ qualityCheckResults: ["The latest inspection failed: rework and inspect again"] });
    expect(completion(order("inProduction", done), null).errors).toEqual({ qualityCheckResults: ["Quality control has not inspected the order yet"] });
    expect(completion(order("inProduction", { ...done, productionStatus: "inProgress", completionPercentage: 90 }), "pass").errors).toEqual({
      productionStatus: ["Production Status must be Completed"],
      completionPercentage: ["Completion Percentage must be 100"],
    });
  });

  test("stage 5 completes the order; ticked to-dos are not open", () => {
    const c = completion(
      order("storeReceived", { receiptConfirmation: { confirmedBy: "Front desk" }, productCondition: "good" }, ["storeReceived.verifyReceipt"]),
      null,
    );
    expect(c.errors).toEqual({});
    expect(c.outcome).toEqual({ kind: "complete" });
    expect(c.openTodos.map((t) => t.key)).toEqual(["checkQuality", "confirmCompletion"]);
  });
});

describe("queueScope, derived from the permission table", () => {
  test.each([
    ["storeManager", { allOpen: false, stages: ["storeOrder", "storeReceived"], held: true }],
    ["dispatchTeam", { allOpen: false, stages: ["storeOrder", "dispatchReceiving", "dispatching", "storeReceived"], held: false }],
    ["productionTeam", { allOpen: false, stages: ["dispatchReceiving", "inProduction"], held: false }],
    ["qualityControl", { allOpen: false, stages: ["inProduction"], held: false }],
    ["ops", { allOpen: true, stages: [], held: false }],
    ["admin", { allOpen: true, stages: [], held: false }],
  ] as const)("%s", (role, expected) => {
    expect(queueScope({ roles: [role] })).toEqual(expected);
  });
});

describe("returnTo: sending a held order back", () => {
  const held = {
    stage: "dispatchReceiving" as const,
    state: "onHold" as const,
    fields: {
      productSpecifications: "Walnut desk, 180 cm",
      orderQuantity: 2,
      requiredDeliveryDate: "2030-01-10",
      orderFeasibility: { decision: "notFeasible" as const, reason: "No walnut" },
      productionSchedule: { start: "2030-01-02", end: "2030-01-05", confirmed: false },
      specialRequirements: "Cable tray",
    },
    doneTodos: ["storeOrder.submitSpecifications", "dispatchReceiving.reviewSpecifications", "dispatchReceiving.verifyCapacity"],
  };

  test("reopens the hold's decision and what it skipped, and nothing else", () => {
    const back = returnTo(held, "dispatchReceiving");
    expect(back).toEqual({
      stage: "dispatchReceiving",
      state: "active",
      fields: { productSpecifications: "Walnut desk, 180 cm", orderQuantity: 2, requiredDeliveryDate: "2030-01-10", specialRequirements: "Cable tray" },
      doneTodos: ["storeOrder.submitSpecifications"],
      proposal: null,
      cleared: ["orderFeasibility", "productionSchedule"],
    });
  });

  test("back to an earlier stage resets the same, and keeps that stage's own to-dos", () => {
    const { stage: to, ...rest } = returnTo(held, "storeOrder");
    const { stage: _same, ...same } = returnTo(held, "dispatchReceiving");
    expect(to).toBe("storeOrder");
    expect(rest).toEqual(same);
  });

  test("only a held order goes back, and only back", () => {
    expect(() => returnTo({ ...held, state: "active" }, "storeOrder")).toThrow(/held/);
    expect(() => returnTo(held, "inProduction")).toThrow(/back/);
  });

  test("the hold's reason is the holding stage's own", () => {
    expect(holdReason(held)).toBe("No walnut");
    expect(holdReason({ stage: "inProduction", fields: held.fields })).toBe("");
  });
});
