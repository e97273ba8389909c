import { afterAll, beforeAll, expect, test } from "vitest";
import { count } from "drizzle-orm";
import { orders } from "@/db/schema";
import { seedDemo } from "@/db/seed";
import { testDatabase } from "./database";
import type { Connection } from "@/db/client";

let conn: Connection;
beforeAll(async () => {
  conn = await testDatabase();
});
afterAll(() => conn.close());

test("demo seed creates orders", async () => {
  await seedDemo(conn.db);
  const [{ n }] = await conn.db.select({ n: count() }).from(orders);
  expect(n).toBe(11);
});
