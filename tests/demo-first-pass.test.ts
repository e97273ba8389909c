import { afterAll, beforeAll, expect, test } from "vitest";
import { eq } from "drizzle-orm";
import type { Connection } from "@/db/client";
import { accounts, notifications, orders } from "@/db/schema";
import { seedDemo } from "@/lib/demo/seed";
import { runAutomations } from "@/lib/automation/runner";
import { productionStages } from "@/lib/automation/defaults";
import { testDatabase } from "./database";

/**
 * Issue 18: Production's first email after the demo started held seven alerts, six about orders
 * in Dispatching and Store Received it cannot act on, and one order twice for one event. The
 * demo's first automation pass, as a new shop would see it: every alert Production gets is about
 * an order in a stage it works in, and no order reaches it twice.
 */

let conn: Connection;
beforeAll(async () => {
  conn = await testDatabase();
  await seedDemo(conn.db);
});
afterAll(() => conn?.close());

test("the demo's first pass alerts Production only about orders it can act on, once per order", async () => {
  const [production] = await conn.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, "production@example.com"));
  const seeded = new Set((await conn.db.select({ id: notifications.id }).from(notifications)).map((n) => n.id));
  await runAutomations({ db: conn.db });
  const rows = await conn.db
    .select({ id: notifications.id, orderId: notifications.orderId, stage: orders.stage, message: notifications.message })
    .from(notifications)
    .innerJoin(orders, eq(orders.id, notifications.orderId))
    .where(eq(notifications.accountId, production.id));
  const pass = rows.filter((r) => !seeded.has(r.id));
  const actionable = pass.filter((r) => productionStages.includes(r.stage));
  console.log(`[demo first pass] Production: ${pass.length} alerts, ${actionable.length} about orders in a stage it works in, ${new Set(pass.map((r) => r.orderId)).size} orders`);
  expect(pass.length).toBeGreaterThan(0);
  expect(actionable).toEqual(pass);
  expect(new Set(pass.map((r) => r.orderId)).size).toBe(pass.length);
});
