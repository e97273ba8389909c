import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import type { Connection } from "@/db/client";
import { seedBase } from "@/lib/demo/seed";
import { onlyCardRules } from "./fixtures";
import { cronAuthorized } from "@/lib/automation/cron-auth";
import { testDatabase } from "./database";

const SECRET = "test-cron-secret-0123456789abcdef";
let conn: Connection;
let GET: (request: Request) => Promise<Response>;

beforeAll(async () => {
  vi.stubEnv("CRON_SECRET", SECRET);
  conn = await testDatabase();
  await seedBase(conn.db);
  await onlyCardRules(conn.db);
  ({ GET } = await import("@/app/api/cron/automations/route"));
});
afterAll(async () => {
  await conn?.close();
  vi.unstubAllEnvs();
});

const call = (authorization?: string) =>
  GET(new Request("http://localhost:3000/api/cron/automations", authorization ? { headers: { authorization } } : {}));

describe("GET /api/cron/automations", () => {
  test("401 without a secret or with a wrong one", async () => {
    for (const header of [undefined, "Bearer", `Bearer ${SECRET}x`, `Bearer ${SECRET.slice(0, -1)}`, SECRET, `Basic ${SECRET}`, `bearer ${SECRET}`]) {
      const res = await call(header);
      expect(res.status, String(header)).toBe(401);
    }
  });

  test("200 with the secret, and a summary of the pass", async () => {
    const res = await call(`Bearer ${SECRET}`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(Object.keys(body).sort()).toEqual(["evaluated", "failed", "fired", "grouped", "notified", "rateLimitWaits", "rateLimited", "retried", "sent", "skipped"]);
  });

  test("no secret configured authorises nothing", () => {
    expect(cronAuthorized(`Bearer ${SECRET}`, undefined)).toBe(false);
    expect(cronAuthorized("Bearer ", "")).toBe(false);
    expect(cronAuthorized(null, SECRET)).toBe(false);
    expect(cronAuthorized(`Bearer ${SECRET}`, SECRET)).toBe(true);
  });
});
