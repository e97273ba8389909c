import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type Connection, openPostgres, rowsOf } from "@/db/client";
import { GET } from "@/app/api/health/route";
import { testDatabase } from "./database";

let conn: Connection;
beforeAll(async () => {
  conn = await testDatabase();
});
afterAll(() => conn.close());

test("GET /api/health: 503 within 4 s while a lock that blocks writes is held on the orders table", async () => {
  // Another session, as a migration that rebuilds an index without CONCURRENTLY would hold it.
  const other = await openPostgres(conn.url!, { max: 1 });
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => (locked = r));
  const holder = other.db.transaction(async (tx) => {
    await tx.execute(sql`lock table orders in share mode`);
    locked();
    await held;
  });
  await isLocked;
  try {
    const started = Date.now();
    const response = await GET();
    const took = Date.now() - started;
    console.log(`[health] orders locked: ${response.status} after ${took} ms`);
    expect(response.status).toBe(503);
    expect(took).toBeLessThan(4_000);
  } finally {
    release();
    await holder;
    await other.close();
  }
  expect((await GET()).status).toBe(200);
});

test("the app's connection has a statement timeout: a stuck statement fails instead of holding a page", async () => {
  const limited = await openPostgres(conn.url!, { max: 1, statementTimeoutMs: 300 });
  try {
    const started = Date.now();
    await expect(limited.db.execute(sql`select pg_sleep(5)`)).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(3_000);
  } finally {
    await limited.close();
  }
});

test("the app's connections to the server run without JIT (its compile time, paid per statement, outweighed what it saved)", async () => {
  const app = await openPostgres(conn.url!, { max: 1 });
  try {
    const [row] = rowsOf<{ jit: string }>(await app.db.execute(sql`select current_setting('jit') as jit`));
    expect(row.jit).toBe("off");
  } finally {
    await app.close();
  }
});
