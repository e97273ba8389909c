import { describe, expect, test } from "vitest";
import { defaultRules } from "@/lib/automation/defaults";
import {
  type RecipientAccount,
  type RuleFacts,
  type TimeCandidate,
  evaluateStageEntered,
  evaluateTimeRules,
  recipientsFor,
  timeOccasion,
  triggerHoldsNow,
} from "./evaluator";
import { nextDigestAt, emailModeFor, defaultEmailMode } from "./preferences";
import { renderMessage } from "./message";

/** The new triggers and recipient kinds, at their boundaries (pure). */

const HOUR = 3600_000;
const now = new Date("2026-03-10T12:00:00.000Z");
const rule = (id: number, trigger: RuleFacts["trigger"], recipients: RuleFacts["recipients"] = [{ kind: "stageOwner" }]): RuleFacts => ({
  id,
  trigger,
  recipients,
  message: "m",
  priority: "normal",
  enabled: true,
});
// In Production: at risk after 72 h, overdue after 120 h.
const order = (enteredHoursAgo: number, patch: Partial<TimeCandidate> = {}): TimeCandidate => ({
  id: 7,
  storeId: 1,
  stage: "inProduction",
  state: "active",
  stageEnteredAt: new Date(now.getTime() - enteredHoursAgo * HOUR),
  stageDueAt: new Date(now.getTime() - (enteredHoursAgo - 120) * HOUR),
  requiredDeliveryDate: null,
  stageEntryId: 31,
  ...patch,
});

describe("stage at risk", () => {
  const atRisk = rule(1, { type: "stage_at_risk" });
  test("holds from the risk time until the due time, once per stage entry", () => {
    expect(timeOccasion(atRisk.trigger, order(71.99), now)).toBeNull();
    expect(timeOccasion(atRisk.trigger, order(72), now)).toBe("stage-entry:31");
    expect(timeOccasion(atRisk.trigger, order(119.99), now)).toBe("stage-entry:31");
    // Overdue already: the overdue rule speaks, not this one.
    expect(timeOccasion(atRisk.trigger, order(120), now)).toBeNull();
  });
  test("limited to a stage, on hold or disabled: no firing", () => {
    expect(evaluateTimeRules([rule(1, { type: "stage_at_risk", stage: "dispatching" })], [order(80)], now)).toEqual([]);
    expect(evaluateTimeRules([atRisk], [order(80, { state: "onHold" })], now)).toEqual([]);
    expect(evaluateTimeRules([{ ...atRisk, enabled: false }], [order(80)], now)).toEqual([]);
    expect(evaluateTimeRules([atRisk], [order(80)], now)).toHaveLength(1);
  });
});

describe("stage overdue (owner role)", () => {
  const overdue = rule(2, { type: "stage_overdue" });
  test("from the due time on", () => {
    expect(evaluateTimeRules([overdue], [order(119.9)], now)).toEqual([]);
    expect(evaluateTimeRules([overdue], [order(120)], now)).toEqual([expect.objectContaining({ ruleId: 2, occasion: "stage-entry:31", stage: "inProduction" })]);
  });
});

describe("required delivery date at risk", () => {
  const delivery = rule(3, { type: "delivery_at_risk" }, [{ kind: "storeManagers" }]);
  test("holds when the remaining targets no longer fit, once per delivery date", () => {
    // Due in 100 h, then Dispatching (24 h) and Store Received (2 h): 126 h from now ≈ 2026-03-15T18:00Z.
    const o = (date: string) => order(20, { requiredDeliveryDate: date });
    expect(timeOccasion(delivery.trigger, o("2026-03-14"), now)).toBe("delivery:2026-03-14");
    expect(timeOccasion(delivery.trigger, o("2026-03-15"), now)).toBeNull();
    expect(timeOccasion(delivery.trigger, order(20), now)).toBeNull();
    const [a] = evaluateTimeRules([delivery], [o("2026-03-13")], now);
    const [b] = evaluateTimeRules([delivery], [o("2026-03-14")], now);
    expect(a.occasion).not.toBe(b.occasion);
  });
});

describe("order enters a stage", () => {
  const entered = rule(4, { type: "stage_entered", stage: "dispatchReceiving" }, [{ kind: "role", role: "dispatchTeam" }]);
  test("fires for its stage only, with the stage entry as occasion", () => {
    expect(evaluateStageEntered([entered], { id: 7, storeId: 1, stage: "dispatchReceiving", state: "active" }, 55)).toEqual([
      expect.objectContaining({ ruleId: 4, occasion: "stage-entry:55" }),
    ]);
    expect(evaluateStageEntered([entered], { id: 7, storeId: 1, stage: "inProduction", state: "active" }, 55)).toEqual([]);
    expect(evaluateStageEntered([{ ...entered, enabled: false }], { id: 7, storeId: 1, stage: "dispatchReceiving", state: "active" }, 55)).toEqual([]);
  });
  test("is not a time rule", () => {
    expect(evaluateTimeRules([entered], [order(200, { stage: "dispatchReceiving" })], now)).toEqual([]);
  });
});

describe("preview: would the trigger hold now", () => {
  test("field, stage entered and time triggers", () => {
    const o = { ...order(130), stage: "dispatchReceiving" as const, fields: { orderFeasibility: { decision: "notFeasible" as const, reason: "x" } } };
    expect(triggerHoldsNow({ type: "field_equals", stage: "dispatchReceiving", field: "orderFeasibility", value: "notFeasible" }, o, now)).toBe(true);
    expect(triggerHoldsNow({ type: "stage_entered", stage: "dispatchReceiving" }, o, now)).toBe(true);
    expect(triggerHoldsNow({ type: "stage_entered", stage: "inProduction" }, o, now)).toBe(false);
    expect(triggerHoldsNow({ type: "stage_overdue" }, o, now)).toBe(true);
    expect(triggerHoldsNow({ type: "stage_overdue" }, { ...o, state: "onHold" }, now)).toBe(false);
  });
});

describe("recipient kinds", () => {
  const accounts: RecipientAccount[] = [
    { id: 1, roles: ["storeManager"], storeIds: [1] },
    { id: 2, roles: ["storeManager"], storeIds: [2] },
    { id: 3, roles: ["dispatchTeam"], storeIds: [] },
    { id: 4, roles: ["productionTeam"], storeIds: [] },
    { id: 5, roles: ["qualityControl"], storeIds: [] },
  ];
  const base = { storeId: 1, stage: "inProduction" as const };
  test("the order's store managers", () => {
    expect(recipientsFor({ ...base, recipients: [{ kind: "storeManagers" }] }, accounts)).toEqual([1]);
  });
  test("the owner role of the stage the firing is about", () => {
    expect(recipientsFor({ ...base, recipients: [{ kind: "stageOwner" }] }, accounts)).toEqual([4]);
    expect(recipientsFor({ ...base, stage: "dispatching", recipients: [{ kind: "stageOwner" }] }, accounts)).toEqual([3]);
    expect(recipientsFor({ ...base, stage: "storeReceived", recipients: [{ kind: "stageOwner" }] }, accounts)).toEqual([1]);
  });
  test("the person assigned, while they may read the order", () => {
    expect(recipientsFor({ ...base, recipients: [{ kind: "assignee" }], people: { assigneeId: 5, commenterIds: [] } }, accounts)).toEqual([5]);
    expect(recipientsFor({ ...base, recipients: [{ kind: "assignee" }], people: { assigneeId: null, commenterIds: [] } }, accounts)).toEqual([]);
    expect(recipientsFor({ ...base, recipients: [{ kind: "assignee" }], people: { assigneeId: 2, commenterIds: [] } }, accounts)).toEqual([]);
  });
  test("everyone who commented, once each, and a union of kinds without duplicates", () => {
    const people = { assigneeId: 4, commenterIds: [1, 2, 3, 99] };
    expect(recipientsFor({ ...base, recipients: [{ kind: "commenters" }], people }, accounts)).toEqual([1, 3]);
    expect(recipientsFor({ ...base, recipients: [{ kind: "commenters" }, { kind: "assignee" }, { kind: "stageOwner" }, { kind: "storeManagers" }], people }, accounts)).toEqual([1, 3, 4]);
  });
});

describe("the seeded rules", () => {
  test("the card's two are kept as the card states them, four defaults beside them, and the hand-offs", () => {
    expect(defaultRules.map((r) => r.key)).toEqual([
      "feasibility-alert",
      "stage-overdue-escalation",
      "new-order-to-dispatch",
      "order-shipped-to-store",
      "stage-at-risk-to-owner",
      "stage-overdue-to-owner",
      "inspection-failed-to-production",
      "ready-for-reinspection-to-qc",
      "proposal-to-store",
      "proposal-accepted-to-dispatch",
      "proposal-declined-to-dispatch",
      "cancelled-to-dispatch",
      "assigned-to-assignee",
      "receipt-damaged-to-dispatch-and-qc",
      "receipt-wrongSpecification-to-dispatch-and-qc",
    ]);
    expect(defaultRules[0]).toMatchObject({ message: "Order cannot be fulfilled - please contact dispatch team", priority: "high", recipients: [{ kind: "role", role: "storeManager" }] });
    // The production deadline: the stages Production works in (SPEC.md, "Automation rules").
    expect(defaultRules[1]).toMatchObject({
      message: "Production deadline approaching - please update status",
      trigger: { type: "stage_overdue", stages: ["dispatchReceiving", "inProduction"] },
      recipients: [{ kind: "role", role: "productionTeam" }],
    });
  });
  test("a receipt gone wrong tells dispatch and quality control, with the store and the note", () => {
    for (const condition of ["damaged", "wrongSpecification"] as const) {
      const rule = defaultRules.find((r) => r.key === `receipt-${condition}-to-dispatch-and-qc`)!;
      expect(rule.trigger).toEqual({ type: "field_equals", stage: "storeReceived", field: "productCondition", value: condition });
      expect(rule.recipients).toEqual([{ kind: "role", role: "dispatchTeam" }, { kind: "role", role: "qualityControl" }]);
      const text = renderMessage(rule.message, { storeName: "North", fields: { productCondition: condition, conditionNote: "Legs cracked" } });
      expect(text).toBe(`North received the order ${condition === "damaged" ? "damaged" : "with the wrong specification"}: Legs cracked`);
    }
  });
  test("the shipped message names method, tracking number and estimated delivery", () => {
    const shipped = defaultRules.find((r) => r.key === "order-shipped-to-store")!;
    const text = renderMessage(shipped.message, { storeName: "North", fields: { shipmentMethod: "courier", trackingNumber: "TRK-1", estimatedDeliveryTime: "2026-03-11T09:00:00.000Z" } });
    expect(text).toMatch(/Courier/);
    expect(text).toMatch(/TRK-1/);
    expect(text).toMatch(/2026/);
    expect(renderMessage("New order from {store}", { storeName: "North", fields: {} })).toBe("New order from North");
  });
});

describe("preferences", () => {
  test("high priority defaults to immediate, low to the digest; a choice wins", () => {
    expect(defaultEmailMode("high")).toBe("immediate");
    expect(defaultEmailMode("low")).toBe("digest");
    expect(emailModeFor(new Map([["4/rule:1", "none"]]), 4, "rule:1", "high")).toBe("none");
    expect(emailModeFor(new Map(), 4, "rule:1", "high")).toBe("immediate");
  });
  test("the daily digest leaves at the next local hour in the account's zone", () => {
    // 12:00Z is 13:00 in Berlin (CET): 08:00 Berlin next day is 07:00Z.
    expect(nextDigestAt(now, "Europe/Berlin", 8).toISOString()).toBe("2026-03-11T07:00:00.000Z");
    // 12:00Z is 08:00 in New York (EDT from 8 March): 08:00 exactly is not "after", so the next day.
    expect(nextDigestAt(now, "America/New_York", 8).toISOString()).toBe("2026-03-11T12:00:00.000Z");
    expect(nextDigestAt(now, "America/New_York", 9).toISOString()).toBe("2026-03-10T13:00:00.000Z");
    expect(nextDigestAt(now, null, 18).toISOString()).toBe("2026-03-10T18:00:00.000Z");
  });
  test("at a daylight-saving edge the digest hour is read as PostgreSQL and lib/time read it", () => {
    // 02:00 does not exist in Berlin on 29 March 2026: it is 03:00 CEST (01:00Z), not 01:00 CET.
    expect(nextDigestAt(new Date("2026-03-28T12:00:00Z"), "Europe/Berlin", 2).toISOString()).toBe("2026-03-29T01:00:00.000Z");
    // 01:00 happens twice in New York on 1 November 2026: the later, 01:00 EST (06:00Z).
    expect(nextDigestAt(new Date("2026-10-31T12:00:00Z"), "America/New_York", 1).toISOString()).toBe("2026-11-01T06:00:00.000Z");
  });
});
