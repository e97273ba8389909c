import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { and, eq } from "drizzle-orm";
import type { Connection, Db } from "@/db/client";
import { accounts, devMailbox, notifications, ruleFirings, storeMembers, stores } from "@/db/schema";
import { demoActor, seedBase } from "@/lib/demo/seed";
import { onlyCardRules } from "./fixtures";
import { driveOrder } from "@/lib/demo/orders";
import { runAutomations } from "@/lib/automation/runner";
import { saveFields } from "@/lib/orders/commands";
import { type Actor, formatOrderNumber } from "@/lib/workflow";
import { testDatabase } from "./database";

let conn: Connection;
let dispatch: Actor;
let north: Actor;
let north2Id: number;
let south: Actor;

beforeAll(async () => {
  conn = await testDatabase();
  await seedBase(conn.db);
  await onlyCardRules(conn.db);
  dispatch = await demoActor(conn.db, "dispatch@example.com");
  north = await demoActor(conn.db, "store.north@example.com");
  south = await demoActor(conn.db, "store.south@example.com");
  // A second North manager: "the order's store managers" means all of them.
  const [northStore] = await conn.db.select().from(stores).where(eq(stores.code, "north"));
  const [a] = await conn.db
    .insert(accounts)
    .values({ email: "store.north2@example.com", name: "Nils North", passwordHash: "x", roles: ["storeManager"] })
    .returning();
  north2Id = a.id;
  await conn.db.insert(storeMembers).values({ accountId: a.id, storeId: northStore.id });
});
afterAll(() => conn?.close());

const notFeasible = (reason = "No walnut in stock until June") => ({ orderFeasibility: { decision: "notFeasible", reason } });

async function notificationsFor(orderId: number, accountId?: number) {
  return conn.db
    .select()
    .from(notifications)
    .where(accountId ? and(eq(notifications.orderId, orderId), eq(notifications.accountId, accountId)) : eq(notifications.orderId, orderId));
}

describe("feasibility alert (field_equals, evaluated on save)", () => {
  test("not feasible notifies North's store managers once, high priority, and not South's", async () => {
    let order = await driveOrder(conn.db, { storeCode: "north", to: "dispatchReceiving" });
    const save = async (values: Record<string, unknown>) => {
      const r = await saveFields({ db: conn.db, actor: dispatch }, { orderId: order.id, version: order.version, values });
      if (!r.ok) throw new Error(JSON.stringify(r));
      order = r.order;
      return r;
    };

    await save(notFeasible());
    const first = await notificationsFor(order.id);
    expect(first.map((n) => n.accountId).sort()).toEqual([north.id, north2Id].sort());
    // The card's message, with dispatch's reason: the store reads why without opening the order.
    expect(first.every((n) => n.priority === "high" && n.message === "Order cannot be fulfilled - please contact dispatch team — No walnut in stock until June")).toBe(true);
    expect(await notificationsFor(order.id, south.id)).toHaveLength(0);
    expect(await conn.db.select().from(ruleFirings).where(eq(ruleFirings.orderId, order.id))).toHaveLength(1);

    // Saved again unchanged, nothing fires; a new reason alone is no new value either.
    await save(notFeasible());
    expect(await notificationsFor(order.id)).toHaveLength(2);
    await save(notFeasible("Walnut supplier closed"));
    expect(await notificationsFor(order.id)).toHaveLength(2);

    // Away and back: a new change to the value, a new alert.
    await save({ orderFeasibility: { decision: "feasible", reason: "" } });
    expect(await notificationsFor(order.id)).toHaveLength(2);
    await save(notFeasible());
    expect(await notificationsFor(order.id, north.id)).toHaveLength(2);
    expect(await notificationsFor(order.id, north2Id)).toHaveLength(2);
    expect(await notificationsFor(order.id, south.id)).toHaveLength(0);
    expect(await conn.db.select().from(ruleFirings).where(eq(ruleFirings.orderId, order.id))).toHaveLength(2);
  });

  test("the email reaches the development mailbox once, with priority, order number and a link to the order", async () => {
    const order = await driveOrder(conn.db, { storeCode: "north", to: "dispatchReceiving" });
    const r = await saveFields({ db: conn.db, actor: dispatch }, { orderId: order.id, version: order.version, values: notFeasible() });
    expect(r.ok).toBe(true);
    const [mine] = await notificationsFor(order.id, north.id);
    expect(mine.emailStatus).toBe("pending");

    const first = await runAutomations({ db: conn.db });
    expect(first.sent).toBeGreaterThanOrEqual(2);
    await runAutomations({ db: conn.db });

    const mails = await conn.db.select().from(devMailbox).where(eq(devMailbox.idempotencyKey, mine.id));
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail.to).toBe("store.north@example.com");
    expect(mail.subject).toBe(`[High priority] ${formatOrderNumber(order.id)}: Order cannot be fulfilled - please contact dispatch team — No walnut in stock until June`);
    expect(mail.html).toContain(`href="http://localhost:3000/orders/${order.id}"`);
    expect(mail.text).toContain(`http://localhost:3000/orders/${order.id}`);
    expect(mail.html).toContain("Oak display shelf");
    const [after] = await notificationsFor(order.id, north.id);
    expect(after.emailStatus).toBe("sent");
    expect(after.emailAttempts).toBe(1);
  });

  test("the command hands the email to its afterCommit hook, which runs after the commit", async () => {
    const order = await driveOrder(conn.db, { storeCode: "north", to: "dispatchReceiving" });
    const tasks: ((db: Db) => Promise<void>)[] = [];
    const r = await saveFields({ db: conn.db, actor: dispatch, afterCommit: (task) => tasks.push(task) }, { orderId: order.id, version: order.version, values: notFeasible() });
    expect(r.ok).toBe(true);
    // Committed before the task runs: the notification is there and its email still pending.
    expect(tasks).toHaveLength(1);
    const [pending] = await notificationsFor(order.id, north.id);
    expect(pending.emailStatus).toBe("pending");
    await tasks[0](conn.db);
    const [sent] = await notificationsFor(order.id, north.id);
    expect(sent.emailStatus).toBe("sent");
    expect(await conn.db.select().from(devMailbox).where(eq(devMailbox.idempotencyKey, sent.id))).toHaveLength(1);
  });

  test("a save that queues no notification hands over no work", async () => {
    const order = await driveOrder(conn.db, { storeCode: "north", to: "dispatchReceiving" });
    const tasks: ((db: Db) => Promise<void>)[] = [];
    const r = await saveFields({ db: conn.db, actor: dispatch, afterCommit: (task) => tasks.push(task) }, { orderId: order.id, version: order.version, values: { specialRequirements: "Gift wrap" } });
    expect(r.ok).toBe(true);
    expect(tasks).toHaveLength(0);
  });

  test("a disabled rule does not fire", async () => {
    const { automationRules } = await import("@/db/schema");
    await conn.db.update(automationRules).set({ enabled: false }).where(eq(automationRules.key, "feasibility-alert"));
    try {
      const order = await driveOrder(conn.db, { storeCode: "north", to: "dispatchReceiving" });
      await saveFields({ db: conn.db, actor: dispatch }, { orderId: order.id, version: order.version, values: notFeasible() });
      expect(await notificationsFor(order.id)).toHaveLength(0);
    } finally {
      await conn.db.update(automationRules).set({ enabled: true }).where(eq(automationRules.key, "feasibility-alert"));
    }
  });
});
