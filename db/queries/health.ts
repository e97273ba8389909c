import "server-only";
import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { type Db, migrationsFolder, rowsOf } from "../client";

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
