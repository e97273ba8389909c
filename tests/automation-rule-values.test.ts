import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { type Connection, migrationsFolder } from "@/db/client";
import { auditLog, automationRules, notifications, ruleFirings } from "@/db/schema";
import type { AutomationRule, Order } from "@/db/schema";
import { defaultRules } from "@/lib/automation/defaults";
import { describeTrigger } from "@/lib/automation/describe";
import { evaluateTimeRulesPass } from "@/lib/automation/runner";
import { createRule, deleteRule, restoreRule } from "@/lib/rule-admin/commands";
import { saveFields } from "@/lib/orders/commands";
import type { Result } from "@/lib/result";
import { type Actors, orderIn, seedActors } from "./fixtures";
import { testDatabase } from "./database";

/**
 * Rules fire on what people see (SPEC.md, "Automation rules"): a rule for Shipment Method =
 * `Courier` (the label shown everywhere) never fired while `courier` did, and both cards read the
 * same. The value is stored as the key whichever was given, any case, trimmed; free text compares
 * trimmed and case-insensitive; rules stored before are read (and migrated) the same way.
 */

let conn: Connection;
let actors: Actors;
beforeAll(async () => {
  conn = await testDatabase();
  ({ actors } = await seedActors(conn.db));
  // Only the rules these tests make tell anyone.
  await conn.db.update(automationRules).set({ enabled: false }).where(inArray(automationRules.key, defaultRules.map((r) => r.key!)));
});
afterAll(() => conn?.close());

const admin = () => ({ db: conn.db, actor: actors["admin@example.com"] });
function ok<T>(r: Result<T>): T & { ok: true } {
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r as T & { ok: true };
}

const ruleForm = (name: string, field: string, value: string) => ({
  name,
  enabled: "on",
  triggerType: "field_equals",
  triggerField: field,
  triggerValue: value,
  recipients: "role:qualityControl",
  message: `${name} fired`,
  priority: "normal",
});

/** Ships an order in Dispatching with these values; the rules that fired on the save. */
async function ship(values: Record<string, unknown>): Promise<string[]> {
  const order: Order = await orderIn(conn.db, { storeCode: "north", to: "dispatching" });
  ok(await saveFields({ db: conn.db, actor: actors["dispatch@example.com"] }, { orderId: order.id, version: order.version, values }));
  const rows = await conn.db
    .select({ name: automationRules.name })
    .from(ruleFirings)
    .innerJoin(automationRules, eq(automationRules.id, ruleFirings.ruleId))
    .where(eq(ruleFirings.orderId, order.id));
  return rows.map((r) => r.name).sort();
}

/** The alerts QC got about the last order shipped. */
async function qcAlerts(): Promise<string[]> {
  const [last] = await conn.db.select({ id: ruleFirings.orderId }).from(ruleFirings).orderBy(desc(ruleFirings.id)).limit(1);
  const rows = await conn.db
    .select({ message: notifications.message })
    .from(notifications)
    .where(and(eq(notifications.orderId, last.id), eq(notifications.accountId, actors["qc@example.com"].id)));
  return rows.map((r) => r.message);
}

describe("a choice field's value is the option people pick, stored as its key", () => {
  test("“Courier”, “courier” and “ COURIER ” save as courier, fire on a courier shipment, and the card reads the label", async () => {
    const made: AutomationRule[] = [];
    for (const [name, value] of [
      ["By label", "Courier"],
      ["By key", "courier"],
      ["Any case", " COURIER "],
    ]) {
      made.push(ok(await createRule(admin(), ruleForm(name, "shipmentMethod", value))).rule);
    }
    expect(made.map((r) => r.trigger)).toEqual(made.map(() => ({ type: "field_equals", stage: "dispatching", field: "shipmentMethod", value: "courier" })));
    expect(describeTrigger(made[0].trigger)).toBe("When Shipment Method is set to “Courier” (stage 4, Dispatching)");
    expect(await ship({ shipmentMethod: "courier" })).toEqual(["Any case", "By key", "By label"]);
    // One save is one event: QC, named by all three, is told once, by the first.
    expect(await qcAlerts()).toEqual(["By label fired"]);
    expect(await ship({ shipmentMethod: "freight" })).toEqual([]);
    for (const r of made) ok(await deleteRule(admin(), { ruleId: r.id, confirmed: "on" }));
  });

  test("a value that is none of the field's options is refused beside the field, naming the options", async () => {
    const r = await createRule(admin(), ruleForm("Bike", "shipmentMethod", "Bicycle"));
    expect(r).toMatchObject({ ok: false, fieldErrors: { triggerValue: ["Shipment Method is one of: Courier, Freight, Own fleet, Store pickup"] } });
  });

  test("a rule stored with the label before this change still fires (read as saved now), and migration 0024 stores the key", async () => {
    const [legacy] = await conn.db
      .insert(automationRules)
      .values({ key: "t-legacy-label", name: "Legacy", trigger: { type: "field_equals", stage: "dispatching", field: "shipmentMethod", value: "Own Fleet " }, recipients: [{ kind: "role", role: "qualityControl" }], message: "Legacy fired" })
      .returning();
    expect(await ship({ shipmentMethod: "ownFleet" })).toEqual(["Legacy"]);
    // The migration's statements again, over the rule as it was stored.
    const statements = readFileSync(path.join(migrationsFolder, "0024_rules_hand_offs.sql"), "utf8").split("--> statement-breakpoint");
    for (const s of statements) await conn.db.execute(sql.raw(s));
    const [after] = await conn.db.select().from(automationRules).where(eq(automationRules.id, legacy.id));
    expect(after.trigger).toEqual({ type: "field_equals", stage: "dispatching", field: "shipmentMethod", value: "ownFleet" });
    await conn.db.delete(automationRules).where(eq(automationRules.id, legacy.id));
  });
});

describe("free text compares trimmed and case-insensitive", () => {
  test("a rule for tracking number “ trk-42 ” fires for TRK-42", async () => {
    const rule = ok(await createRule(admin(), ruleForm("Tracking", "trackingNumber", "  trk-42 "))).rule;
    expect(rule.trigger).toMatchObject({ value: "trk-42" });
    expect(await ship({ trackingNumber: "TRK-42" })).toEqual(["Tracking"]);
    expect(await ship({ trackingNumber: "TRK-420" })).toEqual([]);
    ok(await deleteRule(admin(), { ruleId: rule.id, confirmed: "on" }));
  });
});

describe("deleting a rule can be undone", () => {
  test("a deleted rule is archived: it stops firing, keeps its log, and Undo brings it back as it was; both are audited", async () => {
    const rule = ok(await createRule(admin(), ruleForm("Freight watch", "shipmentMethod", "Freight"))).rule;
    expect(await ship({ shipmentMethod: "freight" })).toEqual(["Freight watch"]);

    ok(await deleteRule(admin(), { ruleId: rule.id, confirmed: "on" }));
    const [archived] = await conn.db.select().from(automationRules).where(eq(automationRules.id, rule.id));
    expect(archived.archivedAt).not.toBeNull();
    expect(await ship({ shipmentMethod: "freight" })).toEqual([]);
    // Only an administrator undoes it.
    expect((await restoreRule({ db: conn.db, actor: actors["ops@example.com"] }, { ruleId: rule.id })).ok).toBe(false);

    ok(await restoreRule(admin(), { ruleId: rule.id }));
    const [restored] = await conn.db.select().from(automationRules).where(eq(automationRules.id, rule.id));
    expect(restored).toMatchObject({ archivedAt: null, name: "Freight watch", trigger: rule.trigger, recipients: rule.recipients, message: rule.message });
    expect(await ship({ shipmentMethod: "freight" })).toEqual(["Freight watch"]);

    const audit = await conn.db.select({ kind: auditLog.kind }).from(auditLog).where(inArray(auditLog.kind, ["ruleDeleted", "ruleRestored"])).orderBy(desc(auditLog.id)).limit(2);
    expect(audit.map((a) => a.kind)).toEqual(["ruleRestored", "ruleDeleted"]);
  });

  test("an archived time rule is left out of the automation pass", async () => {
    const rule = ok(await createRule(admin(), { ...ruleForm("Late anywhere", "", ""), triggerType: "stage_overdue", triggerStages: ["dispatching"] })).rule;
    expect(rule.trigger).toEqual({ type: "stage_overdue", stages: ["dispatching"] });
    ok(await deleteRule(admin(), { ruleId: rule.id, confirmed: "on" }));
    // Far in the future every open order is overdue: nothing fires for the archived rule.
    await evaluateTimeRulesPass(conn.db, new Date(Date.now() + 365 * 86400_000));
    const fired = await conn.db.select({ n: sql<number>`count(*)::int` }).from(notifications).where(sql`${notifications.firingId} in (select id from rule_firings where rule_id = ${rule.id})`);
    expect(fired[0].n).toBe(0);
  });
});

describe("migration 0024", () => {
  test("adds the hand-offs as seeded to a database seeded before them, and points the card's escalation at Production's stages", async () => {
    const handOffs = defaultRules.filter((r) => r.trigger.type === "order_event" || r.trigger.type === "inspection_recorded").map((r) => r.key!);
    const [escalation] = await conn.db.select().from(automationRules).where(eq(automationRules.key, "stage-overdue-escalation"));
    // As a database seeded before: no hand-offs, the card's escalation on every stage.
    await conn.db.delete(automationRules).where(inArray(automationRules.key, handOffs));
    await conn.db.update(automationRules).set({ trigger: { type: "stage_overdue" } }).where(eq(automationRules.id, escalation.id));
    const statements = readFileSync(path.join(migrationsFolder, "0024_rules_hand_offs.sql"), "utf8").split("--> statement-breakpoint");
    for (const s of statements) await conn.db.execute(sql.raw(s));
    const rows = await conn.db.select().from(automationRules).where(inArray(automationRules.key, [...handOffs, "stage-overdue-escalation"]));
    const seeded = defaultRules.filter((r) => handOffs.includes(r.key!) || r.key === "stage-overdue-escalation");
    const pick = (r: Partial<AutomationRule>) => ({ key: r.key, name: r.name, trigger: r.trigger, recipients: r.recipients, message: r.message, priority: r.priority });
    expect(rows.map(pick).sort((a, b) => a.key!.localeCompare(b.key!))).toEqual(seeded.map(pick).sort((a, b) => a.key!.localeCompare(b.key!)));
    // An escalation an admin changed is left as they made it.
    await conn.db.update(automationRules).set({ trigger: { type: "stage_overdue", stage: "inProduction" } }).where(eq(automationRules.id, escalation.id));
    for (const s of statements) await conn.db.execute(sql.raw(s));
    const [kept] = await conn.db.select().from(automationRules).where(eq(automationRules.id, escalation.id));
    expect(kept.trigger).toEqual({ type: "stage_overdue", stage: "inProduction" });
  });
});

describe("migration 0026", () => {
  test("adds the receipt-gone-wrong alerts as seeded to a database seeded before them, and leaves one an admin changed", async () => {
    const receipts = defaultRules.filter((r) => r.key!.startsWith("receipt-")).map((r) => r.key!);
    expect(receipts).toHaveLength(2);
    await conn.db.delete(automationRules).where(inArray(automationRules.key, receipts));
    const statements = readFileSync(path.join(migrationsFolder, "0026_delivery_problem_rules.sql"), "utf8").split("--> statement-breakpoint");
    for (const s of statements) await conn.db.execute(sql.raw(s));
    const pick = (r: Partial<AutomationRule>) => ({ key: r.key, name: r.name, trigger: r.trigger, recipients: r.recipients, message: r.message, priority: r.priority });
    const rows = await conn.db.select().from(automationRules).where(inArray(automationRules.key, receipts));
    const seeded = defaultRules.filter((r) => receipts.includes(r.key!));
    expect(rows.map(pick).sort((a, b) => a.key!.localeCompare(b.key!))).toEqual(seeded.map(pick).sort((a, b) => a.key!.localeCompare(b.key!)));
    await conn.db.update(automationRules).set({ message: "Changed by an admin" }).where(eq(automationRules.key, receipts[0]));
    for (const s of statements) await conn.db.execute(sql.raw(s));
    const [kept] = await conn.db.select().from(automationRules).where(eq(automationRules.key, receipts[0]));
    expect(kept.message).toBe("Changed by an admin");
  });
});
