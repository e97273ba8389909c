import { describe, expect, test } from "vitest";
import { describeChanges } from "@/app/(app)/admin/audit/_components/audit-changes";

const names = { stores: new Map([[1, "North"]]) };
const courier = {
  rule: "rule-courier",
  name: "Courier shipments",
  enabled: false,
  trigger: { type: "field_equals", stage: "dispatching", field: "shipmentMethod", value: "courier" },
  recipients: [{ kind: "storeManagers" }],
  message: "{order} goes out by courier",
  priority: "normal",
};

describe("audit entries about rules read as sentences, never as stored JSON", () => {
  test("a rule made", () => {
    expect(describeChanges(null, courier, names)).toEqual([
      "Rule: rule-courier",
      "Name: Courier shipments",
      "Enabled: no",
      "When Shipment Method is set to “Courier” (stage 4, Dispatching) → The order's store managers",
      "Message: “{order} goes out by courier”",
      "Priority: Normal",
    ]);
  });
  test("a rule changed: what it did and does, under its name", () => {
    const after = { ...courier, recipients: [{ kind: "storeManagers" }, { kind: "role", role: "dispatchTeam" }] };
    expect(describeChanges(courier, after, names)).toEqual([
      "Rule: rule-courier",
      "Name: Courier shipments",
      "Was: When Shipment Method is set to “Courier” (stage 4, Dispatching) → The order's store managers",
      "Now: When Shipment Method is set to “Courier” (stage 4, Dispatching) → The order's store managers; Dispatch Team",
    ]);
    const renamed = { ...courier, name: "Courier", enabled: true };
    expect(describeChanges(courier, renamed, names)).toEqual([
      "Rule: rule-courier",
      "Name: Courier shipments → Courier",
      "Enabled: no → yes",
      "When Shipment Method is set to “Courier” (stage 4, Dispatching) → The order's store managers",
    ]);
  });
  test("a rule deleted", () => {
    expect(describeChanges({ ...courier, trigger: { type: "stage_overdue" } }, null, names)).toContain(
      "When an order's current stage is overdue → The order's store managers",
    );
  });
  test("a rule this version cannot read is shown as stored, not dropped", () => {
    const odd = { ...courier, trigger: { type: "moon_phase" } };
    expect(describeChanges(null, odd, names)).toContain('trigger: {"type":"moon_phase"}');
  });
  test("account entries are as before: only what changed, in words", () => {
    expect(describeChanges({ name: "Nora", roles: ["storeManager"], storeIds: [1] }, { name: "Nora", roles: ["storeManager", "ops"], storeIds: [1] }, names)).toEqual([
      "Roles: Store Manager → Store Manager, Operations (read-only)",
    ]);
  });
});
