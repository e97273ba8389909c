import { openPglite, openPostgres } from "@/db/client";
import { env } from "@/lib/env";
import { rebuildKpiRollups } from "./rollups";

/** `npm run kpi:rebuild`: recomputes the KPI rollups from the orders, in one transaction. */
const e = env();
const started = Date.now();
const conn = e.DATABASE_URL ? await openPostgres(e.DATABASE_URL, { max: 1, migrate: true }) : await openPglite(e.MAKELINE_DATA_DIR);
try {
  await conn.db.transaction((tx) => rebuildKpiRollups(tx));
  console.log(`KPI rollups rebuilt (${conn.driver}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} finally {
  await conn.close();
}
