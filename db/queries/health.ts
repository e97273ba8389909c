import "server-only";
import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { type Connection, type Db, migrationsFolder, rowsOf, withinMs } from "../client";
import { orders } from "../schema";

/** Compares the committed migration journal with what the database has applied. */
export async function migrationStatus(db: Db) {
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")) as { entries: { when: number }[] };
  const expected = journal.entries.length;
  const latest = Math.max(...journal.entries.map((e) => e.when));
  // Asked rather than caught, so an unreachable database fails the check instead of reading as "nothing applied".
  const [table] = rowsOf<{ name: string | null }>(await db.execute(sql`select to_regclass('drizzle.__drizzle_migrations')::text as name`));
  let applied = 0;
  let appliedLatest = 0;
  if (table.name) {
    const [row] = rowsOf<{ n: number; latest: string | null }>(
      await db.execute(sql`select count(*)::int as n, max(created_at)::text as latest from drizzle.__drizzle_migrations`),
    );
    applied = Number(row.n);
    appliedLatest = Number(row.latest ?? 0);
  }
  return { expected, applied, current: applied >= expected && appliedLatest >= latest };
}

export type Readiness = { ready: true } | { ready: false; reason: string };

/**
 * Ready to serve: the database answers within `timeoutMs`, every committed migration is applied,
 * and the orders table can be written (a lock held on it, say by a migration that blocks
 * writes, stalls every page while the process itself is fine). A load balancer routes away on
 * a 503; a hung database never makes the check itself hang.
 */
export async function readiness(conn: Connection, timeoutMs = 3_000): Promise<Readiness> {
  try {
    return await withinMs(timeoutMs, check(conn, timeoutMs));
  } catch (error) {
    return { ready: false, reason: error instanceof Error ? error.message.split("\n")[0] : String(error) };
  }
}

async function check(conn: Connection, timeoutMs: number): Promise<Readiness> {
  const status = await migrationStatus(conn.db);
  if (!status.current) return { ready: false, reason: `migrations pending: ${status.applied} of ${status.expected} applied (run npm run release)` };
  if (conn.driver === "postgres") {
    const lockMs = Math.max(100, Math.floor(timeoutMs / 3));
    await conn.db.transaction(async (tx) => {
      await tx.execute(sql.raw(`set local lock_timeout = ${lockMs}`));
      await tx.execute(sql.raw(`set local statement_timeout = ${timeoutMs}`));
      // The lock every write takes; it waits only behind a lock that blocks writes. Rolled back.
      await tx.execute(sql`lock table ${orders} in row exclusive mode`);
    });
  }
  return { ready: true };
}
