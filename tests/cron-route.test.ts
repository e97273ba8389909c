import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import type { Connection } from "@/db/client";
import { seedBase } from "@/lib/demo/seed";
import { onlyCardRules } from "./fixtures";
import { cronAuthorized } from "@/lib/automation/cron-auth";
import { logger } from "@/lib/log";
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
    expect(Object.keys(body).sort()).toEqual(["evaluated", "failed", "fired", "grouped", "notified", "rateLimitWaits", "rateLimited", "retried", "sent", "skipped", "webhooks"]);
  });

  test("HEAD, even with the secret, runs no pass", async () => {
    const route = await import("@/app/api/cron/automations/route");
    // Without a HEAD handler of its own, Next.js answers HEAD with GET.
    const handlers = route as Record<string, unknown>;
    const head = (handlers.HEAD ?? handlers.GET) as (request: Request) => Response | Promise<Response>;
    const res = await head(new Request("http://localhost:3000/api/cron/automations", { method: "HEAD", headers: { authorization: `Bearer ${SECRET}` } }));
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET");
    // GET's answer is the pass's summary; HEAD has none to give.
    expect(await res.text()).toBe("");
  });

  test("a failing pass is a 500 with a reference, logged as one JSON line without the query's parameters", async () => {
    // The time rules' statement carries the rule's message as a parameter; break the table it writes.
    await conn.db.execute(sql`alter table rule_firings rename to rule_firings_away`);
    const lines = vi.spyOn(logger, "error").mockImplementation(() => {});
    const printed = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const res = await call(`Bearer ${SECRET}`);
      expect(res.status).toBe(500);
      const { ref } = (await res.json()) as { ref: string };
      expect(lines).toHaveBeenCalledOnce();
      expect(lines.mock.calls[0][0]).toMatchObject({ where: "cron automation pass", ref });
      const written = JSON.stringify(lines.mock.calls[0]);
      expect(written).toMatch(/query failed/);
      expect(written).not.toMatch(/params|Production deadline approaching/);
      expect(printed).not.toHaveBeenCalled();
    } finally {
      lines.mockRestore();
      printed.mockRestore();
      await conn.db.execute(sql`alter table rule_firings_away rename to rule_firings`);
    }
  });

  test("no secret configured authorises nothing", () => {
    expect(cronAuthorized(`Bearer ${SECRET}`, undefined)).toBe(false);
    expect(cronAuthorized("Bearer ", "")).toBe(false);
    expect(cronAuthorized(null, SECRET)).toBe(false);
    expect(cronAuthorized(`Bearer ${SECRET}`, SECRET)).toBe(true);
  });
});
