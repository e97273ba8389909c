import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Connection } from "@/db/client";
import { webhookDeliveries } from "@/db/schema";
import { createOrder } from "@/lib/orders/commands";
import { createWebhookEndpoint } from "@/lib/webhooks/commands";
import { deliverWebhooks } from "@/lib/webhooks/deliver";
import { onServer, testDatabase } from "./database";
import { type Actors, inDays, seedActors } from "./fixtures";
import { type Receiver, startReceiver } from "./webhook-receiver";

process.env.MAKELINE_WEBHOOKS_ALLOW_PRIVATE = "1";

/** Real concurrency needs a server: PGlite is one connection, so this file runs only with DATABASE_URL (vitest.config.ts). */
describe("webhook passes on PostgreSQL", () => {
  beforeAll(() => {
    if (!onServer()) throw new Error("these tests need DATABASE_URL (a PostgreSQL server)");
  });
  let conn: Connection;
  let actors: Actors;
  let receiver: Receiver;
  let north: number;
  beforeAll(async () => {
    conn = await testDatabase();
    const seeded = await seedActors(conn.db);
    actors = seeded.actors;
    north = seeded.storeIds.north;
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await conn.close();
  });

  test("10 concurrent passes on 10 connections: each of 40 events reaches the receiver exactly once, under one webhook-id", async () => {
    for (const path of ["/ok/a", "/ok/b"]) {
      const e = await createWebhookEndpoint({ db: conn.db, actor: actors["admin@example.com"] }, { url: receiver.url(path), events: ["order.created"] });
      expect(e.ok).toBe(true);
    }
    for (let i = 0; i < 20; i++) {
      const made = await createOrder({ db: conn.db, actor: actors["store.north@example.com"] }, { storeId: north, productSpecifications: `Concurrent delivery ${i}: birch box`, orderQuantity: 1, requiredDeliveryDate: inDays(10) });
      expect(made.ok).toBe(true);
    }
    const passes = await Promise.all(Array.from({ length: 10 }, () => deliverWebhooks(conn.db, { allowPrivate: true, batchSize: 3, concurrency: 2 })));
    const ids = receiver.received.map((r) => String(r.headers["webhook-id"]));
    console.log(`10 passes: ${passes.map((p) => p.delivered).join("+")} delivered, ${ids.length} received, ${new Set(ids).size} ids`);
    expect(ids).toHaveLength(40);
    expect(new Set(ids).size).toBe(40);
    expect(passes.reduce((n, p) => n + p.delivered, 0)).toBe(40);
    const rows = await conn.db.select().from(webhookDeliveries);
    expect(rows.every((r) => r.status === "delivered" && r.attempts === 1)).toBe(true);
  });
});
