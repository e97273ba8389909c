import { existsSync, openAsBlob, readdirSync, statSync, writeFileSync } from "node:fs";
import { rename } from "node:fs/promises";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { openPglite } from "@/db/client";
import { DataDirLocked } from "@/db/folder-lock";
import { env } from "@/lib/env";

/**
 * `npm run db:backup -- PATH` and `npm run db:restore -- PATH` for the embedded database
 * (MAKELINE_DATA_DIR). A backup is PGlite's own dump of its data folder (a gzipped tarball),
 * taken while nothing else has the folder open, so it is consistent: stop the server (or the
 * automation process), back up, start again; a second opener is refused (db/folder-lock.ts), so a
 * backup can never copy a folder that is being written. A restore writes a new folder at
 * MAKELINE_DATA_DIR, which must not exist yet (move the old one aside first). On PostgreSQL use
 * pg_dump / pg_restore instead (docs/deploying.md).
 */
const [command, target] = process.argv.slice(2);
const e = env();

async function main(): Promise<number> {
  if ((command !== "backup" && command !== "restore") || !target) {
    console.error("Usage: npm run db:backup -- PATH | npm run db:restore -- PATH (the embedded database in MAKELINE_DATA_DIR)");
    return 2;
  }
  if (e.DATABASE_URL) {
    console.error("DATABASE_URL is set: back up PostgreSQL with pg_dump and restore with pg_restore (docs/deploying.md).");
    return 2;
  }
  const dataDir = path.resolve(e.MAKELINE_DATA_DIR);
  const file = path.resolve(target);
  const started = Date.now();
  if (command === "backup") {
    if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
      console.error(`No embedded database in ${dataDir} (MAKELINE_DATA_DIR).`);
      return 2;
    }
    const conn = await openPglite(dataDir, { migrate: false });
    try {
      const client = (conn.db as unknown as { $client: PGlite }).$client;
      // Checkpoint first, so the dump holds every committed write in the data files themselves.
      await client.exec("checkpoint");
      const dump = await client.dumpDataDir("gzip");
      const partial = `${file}.partial`;
      writeFileSync(partial, new Uint8Array(await dump.arrayBuffer()));
      await rename(partial, file);
    } finally {
      await conn.close();
    }
    console.log(`Backed up ${dataDir} to ${file} (${(statSync(file).size / 1024 / 1024).toFixed(1)} MB) in ${Date.now() - started} ms`);
    return 0;
  }
  if (!existsSync(file)) {
    console.error(`No backup at ${file}.`);
    return 2;
  }
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    console.error(`${dataDir} (MAKELINE_DATA_DIR) already holds a database: move it aside (or point MAKELINE_DATA_DIR at a new folder) and restore again.`);
    return 2;
  }
  const conn = await openPglite(dataDir, { migrate: false, loadDataDir: await openAsBlob(file) });
  try {
    await conn.db.execute("checkpoint");
  } finally {
    await conn.close();
  }
  console.log(`Restored ${file} into ${dataDir} in ${Date.now() - started} ms. Start the app (npm run release first if this is an older backup).`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof DataDirLocked ? `${error.message} Stop it before a backup or restore.` : error);
    process.exit(1);
  },
);
