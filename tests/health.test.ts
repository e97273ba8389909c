import { createServer } from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type Connection, openPostgres, rowsOf, setConnection } from "@/db/client";
import { GET } from "@/app/api/health/route";
import { GET as live } from "@/app/api/health/live/route";
import { testDatabase } from "./database";

let conn: Connection;
beforeAll(async () => {
  conn = await testDatabase();
});
afterAll(() => conn.close());

test("GET /api/health (readiness): 200 when migrations are current, and no internals in the answer", async () => {
  const response = await GET();
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ status: "ready" });
});

test("GET /api/health/live (liveness): 200 without touching the database", async () => {
  const unreachable = await openPostgres("postgres://postgres@127.0.0.1:9/makeline", { max: 1, connectTimeoutS: 1 });
  setConnection(unreachable);
  try {
    const response = live();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "live" });
  } finally {
    setConnection(conn);
    await unreachable.close();
  }
});

test("GET /api/health: 503 when the database cannot be reached, saying nothing more", async () => {
  const unreachable = await openPostgres("postgres://postgres@127.0.0.1:9/makeline", { max: 1 });
  setConnection(unreachable);
  try {
    const response = await GET();
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "unavailable" });
  } finally {
    setConnection(conn);
    await unreachable.close();
  }
});

test("GET /api/health: 503 while a committed migration is not applied", async () => {
  const [row] = rowsOf<{ id: number; hash: string; created_at: string }>(
    await conn.db.execute(sql`select id, hash, created_at::text from drizzle.__drizzle_migrations order by created_at desc limit 1`),
  );
  await conn.db.execute(sql`delete from drizzle.__drizzle_migrations where id = ${row.id}`);
  try {
    const response = await GET();
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "unavailable" });
  } finally {
    await conn.db.execute(sql`insert into drizzle.__drizzle_migrations (id, hash, created_at) values (${row.id}, ${row.hash}, ${row.created_at}::bigint)`);
  }
});

test("GET /api/health: a database that accepts the connection and never answers is 503 within 4 s, not 30", async () => {
  const held: import("node:net").Socket[] = [];
  const blackHole = createServer((socket) => void held.push(socket));
  await new Promise<void>((r) => blackHole.listen(0, "127.0.0.1", r));
  const port = (blackHole.address() as { port: number }).port;
  const hung = await openPostgres(`postgres://postgres@127.0.0.1:${port}/makeline`, { max: 1 });
  setConnection(hung);
  try {
    const started = Date.now();
    const response = await GET();
    const took = Date.now() - started;
    console.log(`[health] hung database: ${response.status} after ${took} ms`);
    expect(response.status).toBe(503);
    expect(took).toBeLessThan(4_000);
  } finally {
    setConnection(conn);
    for (const s of held) s.destroy();
    blackHole.close();
    void hung.close();
  }
});
