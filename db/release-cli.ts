import { openPglite, openPostgres } from "./client";
import { migrateDatabase } from "./migrator";
import { migrationStatus } from "./queries/health";
import { env } from "@/lib/env";

/**
 * `npm run release`: what a new version needs before it serves, run once per deployment (the
 * Vercel build step, or before the self-hosted start: docs/deploying.md). It applies the pending
 * migrations under the migration lock (two releases at once apply each migration once), then
 * checks that the database is current. Safe to run again: with nothing pending it changes nothing.
 */
const e = env();
const started = Date.now();
// The migration lock is a session's: through a transaction pooler it would not hold, so the
// release connects directly when DATABASE_DIRECT_URL is given.
const url = e.DATABASE_DIRECT_URL ?? e.DATABASE_URL;
const conn = url ? await openPostgres(url, { max: 1 }) : await openPglite(e.MAKELINE_DATA_DIR, { migrate: false });
try {
  const report = await migrateDatabase(conn, { log: (line) => console.log(`  ${line}`) });
  const status = await migrationStatus(conn.db);
  if (!status.current) throw new Error(`after migrating, ${status.applied} of ${status.expected} migrations are applied`);
  const waited = report.waitedForLockMs > 1000 ? `, waited ${(report.waitedForLockMs / 1000).toFixed(1)} s for another release` : "";
  console.log(`Release ready (${conn.driver}): ${report.applied.length} migration(s) applied, ${status.applied} in all${waited}, ${Date.now() - started} ms`);
} catch (error) {
  console.error(`Release failed: ${error instanceof Error ? error.message.split("\n")[0] : error}`);
  process.exitCode = 1;
} finally {
  await conn.close();
}
