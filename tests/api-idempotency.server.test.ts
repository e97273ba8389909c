import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Connection } from "@/db/client";
import { apiIdempotency, orderHistory, orders } from "@/db/schema";
import { createApiKey } from "@/lib/api/key-commands";
import { apiClient } from "./api-client";
import { onServer, testDatabase } from "./database";
import { type Actors, inDays, seedActors } from "./fixtures";

/** Real concurrency needs a server: PGlite is one connection, so this file runs only with DATABASE_URL (vitest.config.ts). */
describe("API idempotency on PostgreSQL", () => {
  beforeAll(() => {
    if (!onServer()) throw new Error("these tests need DATABASE_URL (a PostgreSQL server)");
  });
  let conn: Connection;
  let actors: Actors;
  let north: number;
  beforeAll(async () => {
    conn = await testDatabase();
    const seeded = await seedActors(conn.db);
    actors = seeded.actors;
    north = seeded.storeIds.north;
  });
  afterAll(() => conn.close());

  test("10 concurrent retries of one create with one Idempotency-Key: one order, and all ten answer with it", async () => {
    const made = await createApiKey({ db: conn.db, actor: actors["admin@example.com"] }, { accountId: actors["store.north@example.com"].id, name: "Web shop" });
    if (!made.ok) throw new Error("no key");
    const call = apiClient(conn.db);
    const body = { storeId: north, productSpecifications: "Concurrent cabinet", orderQuantity: 2, requiredDeliveryDate: inDays(20) };
    const answers = await Promise.all(Array.from({ length: 10 }, () => call("POST", "/orders", { key: made.secret, body, headers: { "Idempotency-Key": "shop-order-1001" } })));
    console.log(`idempotent create ×10: statuses ${answers.map((a) => a.status).join(",")}`);
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    const numbers = new Set(answers.map((a) => (a.json as { number: string }).number));
    expect(numbers.size).toBe(1);
    const rows = await conn.db.select().from(orders).where(sql`${orders.fields}->>'productSpecifications' = 'Concurrent cabinet'`);
    expect(rows).toHaveLength(1);
    expect(await conn.db.select().from(orderHistory).where(eq(orderHistory.orderId, rows[0].id))).toHaveLength(1);
    const [claim] = await conn.db.select().from(apiIdempotency).where(eq(apiIdempotency.idempotencyKey, "shop-order-1001"));
    expect(claim.orderId).toBe(rows[0].id);
    expect(claim.responseStatus).toBe(201);
    // And ten concurrent retries with a changed body while the first exists: every one a 409.
    const changed = await Promise.all(Array.from({ length: 10 }, () => call("POST", "/orders", { key: made.secret, body: { ...body, orderQuantity: 3 }, headers: { "Idempotency-Key": "shop-order-1001" } })));
    expect(changed.map((a) => a.status)).toEqual(Array(10).fill(409));
  });

  test("the per-key limit holds under concurrency: of 30 requests at once with a limit of 10, exactly 10 pass", async () => {
    const made = await createApiKey({ db: conn.db, actor: actors["admin@example.com"] }, { accountId: actors["ops@example.com"].id, name: "Dashboard" });
    if (!made.ok) throw new Error("no key");
    await conn.db.execute(sql`update api_keys set rate_limit_per_minute = 10 where id = ${made.key.id}`);
    const minute = Math.ceil(Date.now() / 60_000) * 60_000 + 5_000;
    const call = apiClient(conn.db, { now: () => new Date(minute) });
    const answers = await Promise.all(Array.from({ length: 30 }, () => call("GET", "/me", { key: made.secret })));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(10);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(20);
  });
});
