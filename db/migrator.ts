import { readFileSync } from "node:fs";
import path from "node:path";
import { type SQL, sql } from "drizzle-orm";
import { readMigrationFiles } from "drizzle-orm/migrator";

export const migrationsFolder = path.join(process.cwd(), "db", "migrations");

/** What this module needs of a connection (db/client.ts's Connection), without importing the client. */
type Runner = { execute: (query: SQL) => Promise<unknown> };
type MigratingConnection = {
  driver: "pglite" | "postgres";
  url?: string;
  db: Runner & { transaction: <T>(work: (tx: Runner) => Promise<T>) => Promise<T> };
};

const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];

/**
 * Applies the committed migrations (db/migrations, made by drizzle-kit) with drizzle's own
 * bookkeeping (drizzle.__drizzle_migrations: a hash and the journal's timestamp per migration),
 * so databases migrated before keep working. Two things drizzle's migrator does not do:
 *
 * - On a server it holds a session-level advisory lock for the whole run, so two servers or
 *   two release commands starting together apply each migration once: the second waits, then
 *   finds nothing left to do.
 * - A migration whose first line is `-- makeline:no-transaction` runs statement by statement
 *   outside a transaction, as `CREATE INDEX CONCURRENTLY` needs (it builds an index on a large
 *   table without blocking writes). Every other migration runs in a transaction of its own, with
 *   its bookkeeping row. A non-transactional migration must be safe to run again after a failure
 *   part-way (`DROP INDEX CONCURRENTLY IF EXISTS` before `CREATE INDEX CONCURRENTLY`: a failed
 *   concurrent build leaves an invalid index behind).
 */

/** The lock's key: any constant that no other application on the database uses. */
export const MIGRATION_LOCK_KEY = 7_304_190_119n;
export const NO_TRANSACTION_MARKER = "-- makeline:no-transaction";

export type MigrationReport = { applied: string[]; waitedForLockMs: number };

export async function migrateDatabase(conn: MigratingConnection, options: { log?: (line: string) => void } = {}): Promise<MigrationReport> {
  if (conn.driver === "pglite") return applyPending(conn.db, options);
  if (!conn.url) throw new Error("migrateDatabase needs the server's URL (openPostgres sets it)");
  // A session of its own: the advisory lock belongs to one connection, and migrations may run
  // for longer than the app's statement timeout.
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const client = postgres(conn.url, { max: 1, onnotice: () => {}, connection: { application_name: "makeline-release" } });
  const own = { db: drizzle(client) as unknown as MigratingConnection["db"], close: () => client.end({ timeout: 5 }) };
  try {
    const asked = Date.now();
    // Asked again and again rather than waited for: a session blocked in pg_advisory_lock holds a
    // snapshot, and CREATE INDEX CONCURRENTLY in the session holding the lock waits for every
    // snapshot to end, a deadlock PostgreSQL breaks by failing the index build.
    for (let logged = asked; ; ) {
      const [got] = rowsOf<{ locked: boolean }>(await own.db.execute(sql`select pg_try_advisory_lock(${MIGRATION_LOCK_KEY}) as locked`));
      if (got.locked) break;
      if (Date.now() - logged > 10_000) {
        options.log?.(`waiting for another release to finish (${Math.round((Date.now() - asked) / 1000)} s)`);
        logged = Date.now();
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const waitedForLockMs = Date.now() - asked;
    try {
      return { ...(await applyPending(own.db, options)), waitedForLockMs };
    } finally {
      await own.db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
    }
  } finally {
    await own.close();
  }
}

async function applyPending(db: MigratingConnection["db"], options: { log?: (line: string) => void }): Promise<MigrationReport> {
  const migrations = readMigrationFiles({ migrationsFolder });
  const tags = journalTags();
  await db.execute(sql`create schema if not exists drizzle`);
  await db.execute(sql`create table if not exists drizzle.__drizzle_migrations (id serial primary key, hash text not null, created_at bigint)`);
  const [last] = rowsOf<{ created_at: string | number | null }>(await db.execute(sql`select created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`));
  const lastAt = last ? Number(last.created_at) : -1;
  const applied: string[] = [];
  for (const [i, m] of migrations.entries()) {
    if (m.folderMillis <= lastAt) continue;
    const record = (ex: Runner) => ex.execute(sql`insert into drizzle.__drizzle_migrations (hash, created_at) values (${m.hash}, ${m.folderMillis})`);
    const statements = m.sql.map((s) => s.trim()).filter((s) => s && !/^(--[^\n]*\n?)*$/.test(s));
    if (m.sql[0]?.trimStart().startsWith(NO_TRANSACTION_MARKER)) {
      for (const statement of statements) await db.execute(sql.raw(statement));
      await record(db);
    } else {
      await db.transaction(async (tx) => {
        for (const statement of statements) await tx.execute(sql.raw(statement));
        await record(tx);
      });
    }
    applied.push(tags[i] ?? String(m.folderMillis));
    options.log?.(`applied ${tags[i]}`);
  }
  return { applied, waitedForLockMs: 0 };
}

function journalTags(): string[] {
  const journal = JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, "utf8")) as { entries: { tag: string }[] };
  return journal.entries.map((e) => e.tag);
}
