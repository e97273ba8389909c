import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Connection } from "@/db/client";
import { saveFields } from "@/lib/orders/commands";
import { type FieldKey, field, fields, parseField, stageOfField } from "@/lib/workflow";
import { testDatabase } from "./database";
import { type Actors, inDays, orderIn, seedActors } from "./fixtures";

/** Each of the sixteen fields with a good and a bad value; the error is keyed by, and names, the field. */
const cases: Record<FieldKey, { good: unknown; bad: unknown; message: RegExp }> = {
  productSpecifications: { good: "Round oak table, 90 cm, oiled", bad: "short", message: /at least 10 characters/ },
  orderQuantity: { good: "12", bad: "0", message: /Order Quantity must be at least 1/ },
  requiredDeliveryDate: { good: inDays(10), bad: "2020-01-01", message: /cannot be in the past/ },
  orderFeasibility: { good: { decision: "notFeasible", reason: "No capacity in May" }, bad: { decision: "notFeasible" }, message: /reason/ },
  productionSchedule: { good: { start: inDays(1), end: inDays(4) }, bad: { start: inDays(4), end: inDays(1) }, message: /end cannot be before the start/ },
  specialRequirements: { good: "Fragile", bad: "x".repeat(2001), message: /under 2000/ },
  productionStatus: { good: "inProgress", bad: "finished", message: /production status/ },
  completionPercentage: { good: "100", bad: "101", message: /Completion Percentage must be at most 100/ },
  qualityCheckResults: { good: { result: "fail", notes: "Loose leg" }, bad: { result: "fail" }, message: /Describe what failed/ },
  shipmentMethod: { good: "ownFleet", bad: "pigeon", message: /shipment method/ },
  trackingNumber: { good: "1Z-999-AA", bad: "??", message: /Tracking Number/ },
  estimatedDeliveryTime: { good: `${inDays(2)}T14:30`, bad: "tomorrow-ish", message: /date and time/ },
  receiptConfirmation: { good: { confirmedBy: "Jo Bloggs" }, bad: { confirmedBy: "" }, message: /Name the person/ },
  productCondition: { good: "minorDamage", bad: "fine", message: /product condition/ },
  conditionNote: { good: "Two legs cracked in transit", bad: "x".repeat(2001), message: /under 2000/ },
  customerFeedback: { good: { rating: "4", comment: "" }, bad: { rating: "6" }, message: /Rating must be at most 5/ },
};

describe("each field's own schema", () => {
  test("covers all sixteen fields", () => {
    expect(Object.keys(cases).sort()).toEqual(fields.map((f) => f.key).sort());
  });
  for (const f of fields) {
    test(`${f.label}: a good value passes, a bad one is refused under its own key`, () => {
      const c = cases[f.key];
      expect(parseField(f.key, c.good).ok).toBe(true);
      const bad = parseField(f.key, c.bad);
      expect(bad.ok).toBe(false);
      if (bad.ok) return;
      const keys = Object.keys(bad.errors);
      expect(keys.every((k) => k === f.key || k.startsWith(`${f.key}.`))).toBe(true);
      expect(Object.values(bad.errors).flat().join(" ")).toMatch(c.message);
    });
  }
});

describe("saving through the command", () => {
  let conn: Connection;
  let actors: Actors;
  beforeAll(async () => {
    conn = await testDatabase();
    actors = (await seedActors(conn.db)).actors;
  });
  afterAll(() => conn.close());

  test("every invalid field gets its own message and nothing is saved", async () => {
    const o = await orderIn(conn.db, { storeCode: "north", to: "storeOrder" });
    const r = await saveFields({ db: conn.db, actor: actors["store.north@example.com"] }, {
      orderId: o.id,
      version: o.version,
      values: { productSpecifications: "tiny", orderQuantity: "-3", requiredDeliveryDate: "not a date" },
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.fieldErrors ?? {}).sort()).toEqual(["orderQuantity", "productSpecifications", "requiredDeliveryDate"]);
    expect(r.fieldErrors?.orderQuantity?.[0]).toContain(field("orderQuantity").label);
  });

  test("a field of another stage is refused by name", async () => {
    const o = await orderIn(conn.db, { storeCode: "north", to: "storeOrder" });
    const r = await saveFields({ db: conn.db, actor: actors["store.north@example.com"] }, { orderId: o.id, version: o.version, values: { trackingNumber: "ABC-1" } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.formError).toBe(`Tracking Number is not part of the current stage`);
    expect(stageOfField("trackingNumber")).toBe("dispatching");
  });
});

describe("creating an order", () => {
  test("an empty submission names every required field", async () => {
    const { createOrderSchema } = await import("@/lib/orders/schemas");
    const r = createOrderSchema.safeParse({ storeId: 1, productSpecifications: "", orderQuantity: "", requiredDeliveryDate: "" });
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(r.error.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["productSpecifications", "Product Specifications is required"],
      ["orderQuantity", "Order Quantity is required"],
      ["requiredDeliveryDate", "Required Delivery Date is required"],
    ]);
  });
});
