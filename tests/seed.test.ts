import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { asc, count, eq } from "drizzle-orm";
import type { Connection } from "@/db/client";
import { defaultRules } from "@/lib/automation/defaults";
import { accounts, automationRules, orders, storeMembers, stores } from "@/db/schema";
import { testDatabase } from "./database";

let conn: Connection;
beforeAll(async () => {
  conn = await testDatabase();
});
afterAll(() => conn.close());
afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

/** lib/env.ts reads the environment once per process; a fresh module graph reads it anew. */
async function freshImport(vars: Record<string, string>) {
  for (const [key, value] of Object.entries(vars)) vi.stubEnv(key, value);
  vi.resetModules();
  return { seed: await import("@/lib/demo/seed"), env: await import("@/lib/env") };
}

const accountCount = async () => (await conn.db.select({ n: count() }).from(accounts))[0].n;

describe("demo passwords in production", () => {
  test("the seed refuses with NODE_ENV=production, and writes nothing", async () => {
    const { seed, env } = await freshImport({ NODE_ENV: "production", MAKELINE_ALLOW_DEMO: "0" });
    expect(env.demoAllowed()).toBe(false);
    await expect(seed.seedBase(conn.db)).rejects.toThrow(/Refusing to create demo accounts.*MAKELINE_ALLOW_DEMO=1/);
    await expect(seed.seedIfEmpty(conn.db)).rejects.toThrow(/Refusing/);
    expect(await accountCount()).toBe(0);
    expect(await conn.db.select().from(stores)).toEqual([]);
  });

  test("production also needs a real AUTH_SECRET", async () => {
    const { env } = await freshImport({ NODE_ENV: "production", MAKELINE_ALLOW_DEMO: "0", AUTH_SECRET: "" });
    expect(() => env.authSecret()).toThrow(/AUTH_SECRET is required in production/);
    const withSecret = await freshImport({ NODE_ENV: "production", AUTH_SECRET: "x".repeat(32) });
    expect(withSecret.env.authSecret()).toBe("x".repeat(32));
  });

  test("MAKELINE_ALLOW_DEMO=1 forces it", async () => {
    const { seed, env } = await freshImport({ NODE_ENV: "production", MAKELINE_ALLOW_DEMO: "1" });
    expect(env.demoAllowed()).toBe(true);
    await seed.seedBase(conn.db);
    expect(await accountCount()).toBe(seed.demoAccounts.length);
  });
});

describe("the demo base (outside production)", () => {
  test("two stores, seven accounts with their roles, store managers in their stores, the card's two rules, four defaults and the hand-offs", async () => {
    const { seed } = await freshImport({});
    await seed.seedBase(conn.db);
    expect((await conn.db.select({ code: stores.code, name: stores.name }).from(stores).orderBy(asc(stores.code)))).toEqual([
      { code: "north", name: "North" },
      { code: "south", name: "South" },
    ]);
    const rows = await conn.db.select({ email: accounts.email, roles: accounts.roles, active: accounts.active }).from(accounts).orderBy(asc(accounts.email));
    expect(rows).toEqual(
      [
        { email: "admin@example.com", roles: ["admin"] },
        { email: "dispatch@example.com", roles: ["dispatchTeam"] },
        { email: "ops@example.com", roles: ["ops"] },
        { email: "production@example.com", roles: ["productionTeam"] },
        { email: "qc@example.com", roles: ["qualityControl"] },
        { email: "store.north@example.com", roles: ["storeManager"] },
        { email: "store.south@example.com", roles: ["storeManager"] },
      ].map((r) => ({ ...r, active: true })),
    );
    const members = await conn.db
      .select({ email: accounts.email, store: stores.code })
      .from(storeMembers)
      .innerJoin(accounts, eq(accounts.id, storeMembers.accountId))
      .innerJoin(stores, eq(stores.id, storeMembers.storeId))
      .orderBy(asc(accounts.email));
    expect(members).toEqual([
      { email: "store.north@example.com", store: "north" },
      { email: "store.south@example.com", store: "south" },
    ]);
    expect((await conn.db.select({ n: count() }).from(automationRules))[0].n).toBe(defaultRules.length);
  });

  test("is idempotent, and seedIfEmpty leaves a seeded database alone", async () => {
    const { seed } = await freshImport({});
    await seed.seedBase(conn.db);
    await seed.seedIfEmpty(conn.db);
    expect(await accountCount()).toBe(7);
    expect((await conn.db.select({ n: count() }).from(stores))[0].n).toBe(2);
    expect((await conn.db.select({ n: count() }).from(storeMembers))[0].n).toBe(2);
  });
});

test("the live demo orders: eleven, in every stage of both stores, one of South's completed", async () => {
  const { seed } = await freshImport({});
  await seed.seedDemo(conn.db, { historyOrders: 0 });
  const rows = await conn.db
    .select({ store: stores.code, stage: orders.stage, state: orders.state })
    .from(orders)
    .innerJoin(stores, eq(stores.id, orders.storeId))
    .orderBy(asc(orders.id));
  expect(rows.map((r) => `${r.store} ${r.state === "active" ? r.stage : r.state}`)).toEqual([
    "north storeOrder",
    "north dispatchReceiving",
    "north inProduction",
    "north inProduction",
    "north dispatching",
    "north storeReceived",
    "south storeOrder",
    "south dispatchReceiving",
    "south inProduction",
    "south dispatching",
    "south completed",
  ]);
});

test("seeding again adds history orders only, not a second set of live orders", async () => {
  const { seed } = await freshImport({});
  const before = (await conn.db.select({ n: count() }).from(orders))[0].n;
  await seed.seedDemo(conn.db, { historyOrders: 5 });
  const after = (await conn.db.select({ n: count() }).from(orders))[0].n;
  expect(after - before).toBe(5);
});
