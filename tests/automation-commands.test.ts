import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { eq } from "drizzle-orm";
import type { Connection } from "@/db/client";
import { automationRules, notifications } from "@/db/schema";
import { demoActor, seedBase } from "@/lib/demo/seed";
import { onlyCardRules } from "./fixtures";
import { driveOrder } from "@/lib/demo/orders";
import { listFirings } from "@/db/queries/automation";
import { listInbox, unreadCount } from "@/db/queries/notifications";
import { updateRule } from "@/lib/rule-admin/commands";
import { markAllNotificationsRead, markNotificationRead } from "@/lib/inbox/commands";
import { saveFields } from "@/lib/orders/commands";
import type { Actor } from "@/lib/workflow";
import { testDatabase } from "./database";

let conn: Connection;
let admin: Actor;
let ops: Actor;
let north: Actor;
let south: Actor;
let ruleId: number;

beforeAll(async () => {
  conn = await testDatabase();
  await seedBase(conn.db);
  await onlyCardRules(conn.db);
  [admin, ops, north, south] = await Promise.all(
    ["admin@example.com", "ops@example.com", "store.north@example.com", "store.south@example.com"].map((e) => demoActor(conn.db, e)),
  );
  const [rule] = await conn.db.select().from(automationRules).where(eq(automationRules.key, "feasibility-alert"));
  ruleId = rule.id;
});
afterAll(() => conn?.close());

const valid = () => ({
  ruleId,
  name: "Field Value Alert",
  enabled: "on",
  triggerType: "field_equals",
  triggerField: "orderFeasibility",
  triggerValue: "notFeasible",
  message: "Order cannot be made - call dispatch",
  recipients: "role:storeManager",
  priority: "high",
});

describe("editing rules", () => {
  test("only an administrator may change a rule", async () => {
    for (const actor of [ops, north]) {
      const r = await updateRule({ db: conn.db, actor }, valid());
      expect(r.ok).toBe(false);
    }
    const [rule] = await conn.db.select().from(automationRules).where(eq(automationRules.id, ruleId));
    expect(rule.message).toBe("Order cannot be fulfilled - please contact dispatch team");
  });

  test("every invalid field is reported", async () => {
    const r = await updateRule({ db: conn.db, actor: admin }, { ruleId, name: "x", message: " no", recipients: "role:boss", priority: "urgent", triggerType: "sometimes" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.fieldErrors ?? {}).sort()).toEqual(["message", "name", "priority", "recipients.0", "triggerType"]);
  });

  test("an administrator changes message, recipients, priority and enabled; an unchecked box disables", async () => {
    const r = await updateRule({ db: conn.db, actor: admin }, { ...valid(), enabled: undefined, recipients: ["role:dispatchTeam", "assignee"], priority: "normal" });
    expect(r.ok).toBe(true);
    const [rule] = await conn.db.select().from(automationRules).where(eq(automationRules.id, ruleId));
    expect(rule).toMatchObject({ enabled: false, message: "Order cannot be made - call dispatch", recipients: [{ kind: "role", role: "dispatchTeam" }, { kind: "assignee" }], priority: "normal" });
    expect((await updateRule({ db: conn.db, actor: admin }, { ...valid(), ruleId: 999999 })).ok).toBe(false);
    await updateRule({ db: conn.db, actor: admin }, { ...valid(), message: "Order cannot be fulfilled - please contact dispatch team" });
  });
});

describe("inbox", () => {
  test("mark one and all as read, only one's own", async () => {
    const dispatch = await demoActor(conn.db, "dispatch@example.com");
    for (let i = 0; i < 2; i++) {
      const order = await driveOrder(conn.db, { storeCode: "north", to: "dispatchReceiving" });
      await saveFields({ db: conn.db, actor: dispatch }, { orderId: order.id, version: order.version, values: { orderFeasibility: { decision: "notFeasible", reason: "No stock" } } });
    }
    expect(await unreadCount(conn.db, north)).toBe(2);
    const inbox = await listInbox(conn.db, north);
    expect(inbox.total).toBe(2);
    expect(inbox.rows[0]).toMatchObject({ priority: "high", ruleName: "Field Value Alert", readAt: null });
    expect((await listInbox(conn.db, south)).total).toBe(0);

    const [first] = inbox.rows;
    const stranger = await markNotificationRead({ db: conn.db, actor: south }, { notificationId: first.id });
    expect(stranger).toMatchObject({ ok: false, notFound: true });
    expect((await markNotificationRead({ db: conn.db, actor: north }, { notificationId: "not-a-uuid" })).ok).toBe(false);
    expect(await unreadCount(conn.db, north)).toBe(2);

    expect((await markNotificationRead({ db: conn.db, actor: north }, { notificationId: first.id })).ok).toBe(true);
    expect(await unreadCount(conn.db, north)).toBe(1);
    const reordered = await listInbox(conn.db, north);
    expect(reordered.rows[0].readAt).toBeNull();
    expect(reordered.rows[1].id).toBe(first.id);

    expect(await markAllNotificationsRead({ db: conn.db, actor: south })).toMatchObject({ ok: true, count: 0 });
    expect(await markAllNotificationsRead({ db: conn.db, actor: north })).toMatchObject({ ok: true, count: 1 });
    expect(await unreadCount(conn.db, north)).toBe(0);
    const read = await conn.db.select().from(notifications).where(eq(notifications.accountId, north.id));
    expect(read.every((n) => n.readAt)).toBe(true);
  });

  test("the firing log shows rule, order, recipients and delivery state", async () => {
    const log = await listFirings(conn.db, { page: 1 });
    expect(log.total).toBe(2);
    expect(log.rows[0]).toMatchObject({ ruleName: "Field Value Alert", storeName: "North" });
    expect(log.rows[0].recipients).toEqual([expect.objectContaining({ name: "Nora North", emailStatus: "pending" })]);
    expect((await listFirings(conn.db, { page: 1, delivery: "failed" })).total).toBe(0);
  });
});
