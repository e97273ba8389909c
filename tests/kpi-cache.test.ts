import { afterAll, beforeAll, expect, test } from "vitest";
import type { Connection } from "@/db/client";
import { KPI_CACHE_MS, cachedKpiReport } from "@/lib/kpi/cache";
import { exactKpiReport } from "@/lib/kpi/exact";
import { parseKpiFilter } from "@/lib/kpi/filters";
import { kpiReport } from "@/lib/kpi/queries";
import { testDatabase } from "./database";
import { type Actors, orderIn, seedActors } from "./fixtures";

/**
 * The KPI page keeps the period's figures for a minute per period and scope, and never "right
 * now": an order completed meanwhile shows in work in progress at once and in the period's
 * figures after the minute; another scope never gets these figures.
 */

let conn: Connection;
let actors: Actors;
const ops = () => actors["ops@example.com"];
const south = () => actors["store.south@example.com"];
const daysAgo = (d: number) => new Date(Date.now() - d * 86400_000);

beforeAll(async () => {
  conn = await testDatabase();
  actors = (await seedActors(conn.db)).actors;
  await orderIn(conn.db, { storeCode: "north", to: "completed", startedAt: daysAgo(12) });
  await orderIn(conn.db, { storeCode: "south", to: "dispatching", startedAt: daysAgo(3) });
});
afterAll(() => conn?.close());

test("the period's figures are kept for a minute, 'right now' is live, and each scope has its own", async () => {
  const filter = parseKpiFilter({ period: "30" }).filter;
  const t0 = new Date();
  const first = await cachedKpiReport(conn.db, ops(), filter, t0);
  expect(first).toMatchObject({ ...(await kpiReport(conn.db, ops(), filter, t0)), figuresAt: t0 });

  // Meanwhile an order is received and another moves on.
  await orderIn(conn.db, { storeCode: "south", to: "completed", startedAt: daysAgo(10) });
  await orderIn(conn.db, { storeCode: "north", to: "inProduction", startedAt: daysAgo(2) });

  const soon = new Date(t0.getTime() + KPI_CACHE_MS / 2);
  const kept = await cachedKpiReport(conn.db, ops(), filter, soon);
  expect(kept.completed).toBe(first.completed);
  expect(kept.figuresAt).toEqual(t0);
  expect(kept.now).toEqual((await exactKpiReport(conn.db, ops(), filter, soon)).now);
  expect(kept.now).not.toEqual(first.now);

  // A store manager's view of the same period is their own, computed now.
  const theirs = await cachedKpiReport(conn.db, south(), filter, soon);
  expect(theirs).toMatchObject({ ...(await kpiReport(conn.db, south(), filter, soon)), figuresAt: soon });

  const later = new Date(t0.getTime() + KPI_CACHE_MS);
  const fresh = await cachedKpiReport(conn.db, ops(), filter, later);
  expect(fresh.completed).toBe(first.completed + 1);
  expect(fresh).toMatchObject({ ...(await kpiReport(conn.db, ops(), filter, later)), figuresAt: later });
});
