import { randomBytes } from "node:crypto";
import { openAsBlob } from "node:fs";
import { inject } from "vitest";
import { type Connection, openPglite, openPostgres, setConnection } from "@/db/client";
import { pointAtTestLocalStore } from "./storage";

/**
 * A fresh, migrated database for one test file, copied from the one tests/global-setup.ts
 * migrated for the run: in-memory PGlite loaded from its tarball, or, when DATABASE_URL is set, a
 * new database on that PostgreSQL server made from its template and dropped again by `close`.
 * The app's own client is pointed at it, so code under test uses it as it would in production.
 * `migrate: false` leaves it empty (for the migration tests).
 */
export async function testDatabase({ migrate = true }: { migrate?: boolean } = {}): Promise<Connection & { url?: string }> {
  const source = inject("testDatabaseSource");
  // Files, like the database, go to a place of this test file's own.
  const removeFiles = pointAtTestLocalStore();
  if (source.driver === "pglite") {
    const conn = await openPglite(null, { migrate: false, loadDataDir: await openAsBlob(migrate ? source.migrated : source.empty) });
    setConnection(conn);
    return {
      ...conn,
      close: async () => {
        await conn.close();
        removeFiles();
      },
    };
  }
  const url = process.env.DATABASE_URL!;
  const name = `makeline_test_${randomBytes(6).toString("hex")}`;
  const admin = await openPostgres(url, { max: 1 });
  await admin.db.execute(migrate ? `create database ${name} template ${source.template}` : `create database ${name}`);
  await admin.close();
  const target = new URL(url);
  target.pathname = `/${name}`;
  const conn = await openPostgres(target.toString(), { max: 20 });
  setConnection(conn);
  return {
    ...conn,
    /** For a second process on the same database (a child running a pass, say). */
    url: target.toString(),
    close: async () => {
      await conn.close();
      removeFiles();
      const again = await openPostgres(url, { max: 1 });
      await again.db.execute(`drop database if exists ${name} with (force)`);
      await again.close();
    },
  };
}

export const onServer = () => Boolean(process.env.DATABASE_URL);

/**
 * A migrated PGlite database in a folder, for a test that hands it to another process (PGlite
 * is one process at a time: close it before the other opens it).
 */
export async function testPgliteFolder(dir: string): Promise<Connection> {
  const source = inject("testDatabaseSource");
  if (source.driver !== "pglite") throw new Error("testPgliteFolder is for runs on PGlite");
  return openPglite(dir, { migrate: false, loadDataDir: await openAsBlob(source.migrated) });
}
