import { describe, expect, test } from "vitest";
import { defaultRules } from "@/lib/automation/defaults";
import {
  type TimeCandidate as OverdueCandidate,
  type RecipientAccount,
  type RuleFacts,
  comparableValue,
  evaluateFieldChanges,
  evaluateOverdue,
  recipientsFor,
} from "@/lib/automation/evaluator";

const [feasibilityDefault, overdueDefault] = defaultRules;
const feasibility: RuleFacts = { id: 1, enabled: true, priority: "normal", ...feasibilityDefault } as RuleFacts;
const overdue: RuleFacts = { id: 2, enabled: true, priority: "normal", ...overdueDefault } as RuleFacts;

const now = new Date("2026-03-10T12:00:00.000Z");
const candidate = (patch: Partial<OverdueCandidate> = {}): OverdueCandidate => ({
  id: 7,
  storeId: 1,
  stage: "inProduction",
  state: "active",
  stageEnteredAt: new Date(now.getTime() - 121 * 3600_000),
  stageDueAt: new Date(now.getTime() - 60_000),
  requiredDeliveryDate: null,
  stageEntryId: 31,
  ...patch,
});
const order = (patch: Partial<{ stage: OverdueCandidate["stage"]; state: OverdueCandidate["state"]; version: number }> = {}) => ({
  id: 7,
  storeId: 1,
  stage: "dispatchReceiving" as const,
  state: "active" as const,
  version: 4,
  ...patch,
});
const notFeasible = { decision: "notFeasible", reason: "No oak in stock" };
const feasible = { decision: "feasible", reason: "" };

describe("stage_overdue", () => {
  test("fires once per stage entry for an active order past its due time", () => {
    const firings = evaluateOverdue([overdue], [candidate()], now);
    expect(firings).toEqual([
      {
        ruleId: 2,
        triggerType: "stage_overdue",
        orderId: 7,
        storeId: 1,
        stage: "inProduction",
        occasion: "stage-entry:31",
        recipients: [{ kind: "role", role: "productionTeam" }],
        message: "Production deadline approaching - please update status",
        priority: "normal",
        people: { assigneeId: null, commenterIds: [] },
      },
    ]);
  });

  test("exactly at the due time counts as overdue; a millisecond before does not", () => {
    expect(evaluateOverdue([overdue], [candidate({ stageDueAt: new Date(now) })], now)).toHaveLength(1);
    expect(evaluateOverdue([overdue], [candidate({ stageDueAt: new Date(now.getTime() + 1) })], now)).toHaveLength(0);
  });

  test("a disabled rule never fires", () => {
    expect(evaluateOverdue([{ ...overdue, enabled: false }], [candidate()], now)).toEqual([]);
  });

  test("orders on hold, completed or cancelled never fire, however late", () => {
    for (const state of ["onHold", "completed", "cancelled"] as const) {
      expect(evaluateOverdue([overdue], [candidate({ state, stageDueAt: new Date(0) })], now)).toEqual([]);
    }
  });

  test("a rule limited to a stage fires only for orders in that stage", () => {
    const production: RuleFacts = { ...overdue, trigger: { type: "stage_overdue", stage: "inProduction" } };
    expect(evaluateOverdue([production], [candidate({ stage: "inProduction" })], now)).toHaveLength(1);
    expect(evaluateOverdue([production], [candidate({ stage: "dispatching" })], now)).toHaveLength(0);
  });

  test("a new stage entry is a new occasion", () => {
    const [a] = evaluateOverdue([overdue], [candidate({ stageEntryId: 31 })], now);
    const [b] = evaluateOverdue([overdue], [candidate({ stageEntryId: 32 })], now);
    expect(a.occasion).not.toBe(b.occasion);
  });

  test("field rules are ignored by the overdue evaluation", () => {
    expect(evaluateOverdue([feasibility], [candidate()], now)).toEqual([]);
  });
});

describe("field_equals", () => {
  const change = (before: unknown, after: unknown) => [{ field: "orderFeasibility", before, after }];

  test("fires when the value becomes the rule's value, with the order version as occasion", () => {
    const firings = evaluateFieldChanges([feasibility], order(), change(undefined, notFeasible));
    expect(firings).toEqual([
      expect.objectContaining({ ruleId: 1, orderId: 7, occasion: "v4", recipients: [{ kind: "role", role: "storeManager" }], priority: "high" }),
    ]);
  });

  test("fires when changing from feasible to not feasible", () => {
    expect(evaluateFieldChanges([feasibility], order(), change(feasible, notFeasible))).toHaveLength(1);
  });

  test("does not fire when the value already was the rule's value (only the reason changed)", () => {
    expect(evaluateFieldChanges([feasibility], order(), change(notFeasible, { ...notFeasible, reason: "Other" }))).toEqual([]);
  });

  test("does not fire for another value, another field, a disabled rule, another stage or a held order", () => {
    expect(evaluateFieldChanges([feasibility], order(), change(undefined, feasible))).toEqual([]);
    expect(evaluateFieldChanges([feasibility], order(), [{ field: "specialRequirements", before: null, after: "notFeasible" }])).toEqual([]);
    expect(evaluateFieldChanges([{ ...feasibility, enabled: false }], order(), change(undefined, notFeasible))).toEqual([]);
    expect(evaluateFieldChanges([feasibility], order({ stage: "inProduction" }), change(undefined, notFeasible))).toEqual([]);
    expect(evaluateFieldChanges([feasibility], order({ state: "onHold" }), change(undefined, notFeasible))).toEqual([]);
  });

  test("overdue rules are ignored by the field evaluation", () => {
    expect(evaluateFieldChanges([overdue], order(), change(undefined, notFeasible))).toEqual([]);
  });

  test("compares the choice of structured fields and the text of plain ones", () => {
    expect(comparableValue("orderFeasibility", notFeasible)).toBe("notFeasible");
    expect(comparableValue("qualityCheckResults", { result: "fail", notes: "scratch" })).toBe("fail");
    expect(comparableValue("productionStatus", "onHold")).toBe("onHold");
    expect(comparableValue("completionPercentage", 100)).toBe("100");
    expect(comparableValue("productionStatus", undefined)).toBeNull();
    expect(comparableValue("specialRequirements", "")).toBeNull();
  });
});

describe("recipients", () => {
  const accounts: RecipientAccount[] = [
    { id: 1, roles: ["storeManager"], storeIds: [1] },
    { id: 2, roles: ["storeManager"], storeIds: [2] },
    { id: 3, roles: ["storeManager", "dispatchTeam"], storeIds: [1, 2] },
    { id: 4, roles: ["productionTeam"], storeIds: [] },
    { id: 5, roles: ["productionTeam", "qualityControl"], storeIds: [] },
  ];

  test("store managers only of the order's store", () => {
    expect(recipientsFor({ recipients: [{ kind: "role", role: "storeManager" }], stage: "storeOrder", storeId: 1 }, accounts)).toEqual([1, 3]);
    expect(recipientsFor({ recipients: [{ kind: "role", role: "storeManager" }], stage: "storeOrder", storeId: 2 }, accounts)).toEqual([2, 3]);
  });

  test("all-store roles regardless of store", () => {
    expect(recipientsFor({ recipients: [{ kind: "role", role: "productionTeam" }], stage: "storeOrder", storeId: 1 }, accounts)).toEqual([4, 5]);
    expect(recipientsFor({ recipients: [{ kind: "role", role: "ops" }], stage: "storeOrder", storeId: 1 }, accounts)).toEqual([]);
  });
});
