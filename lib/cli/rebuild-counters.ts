import { openPglite, openPostgres } from "@/db/client";
import { env } from "@/lib/env";
import { rebuildOrderCounts } from "@/lib/orders/counts";
import { rebuildKpiRollups } from "@/lib/kpi/rollups";
import { rebuildCapacityLoad } from "@/lib/planning/load";

/** `npm run kpi:rebuild`: recomputes the KPI rollups, the capacity load per day and the order counters from the orders, in one transaction. */
const e = env();
const started = Date.now();
const conn = e.DATABASE_URL ? await openPostgres(e.DATABASE_URL, { max: 1, migrate: true }) : await openPglite(e.MAKELINE_DATA_DIR);
try {
  await conn.db.transaction(async (tx) => {
    await rebuildKpiRollups(tx);
    await rebuildCapacityLoad(tx);
    await rebuildOrderCounts(tx);
  });
  console.log(`KPI rollups, capacity load and order counters rebuilt (${conn.driver}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} finally {
  await conn.close();
}
