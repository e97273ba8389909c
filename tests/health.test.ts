import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { type Connection, openPostgres, setConnection } from "@/db/client";
import { GET } from "@/app/api/health/route";
import { testDatabase } from "./database";

let conn: Connection;
beforeAll(async () => {
  conn = await testDatabase();
});
afterAll(() => conn.close());

test("GET /api/health: 200 with the driver in use and current migrations", async () => {
  const response = await GET();
  expect(response.status).toBe(200);
  const body = await response.json();
  expect(body).toMatchObject({ ok: true, driver: process.env.DATABASE_URL ? "postgres" : "pglite", migrations: { current: true } });
  expect(body.migrations.applied).toBe(body.migrations.expected);
  expect(body.migrations.expected).toBeGreaterThanOrEqual(2);
});

test("GET /api/health: 503 when the database cannot be reached", async () => {
  const unreachable = await openPostgres("postgres://postgres@127.0.0.1:9/makeline", { max: 1 });
  setConnection(unreachable);
  const logged = vi.spyOn(console, "error").mockImplementation(() => {});
  try {
    const response = await GET();
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ ok: false, error: "database unavailable" });
    expect(logged).toHaveBeenCalledOnce();
  } finally {
    logged.mockRestore();
    setConnection(conn);
    await unreachable.close();
  }
});
