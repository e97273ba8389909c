import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { migrate as drizzleMigrate } from "drizzle-orm/postgres-js/migrator";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type Connection, migrationsFolder, openPostgres, rowsOf } from "@/db/client";
import { NO_TRANSACTION_MARKER, migrateDatabase } from "@/db/migrator";

/**
 * The release's migrator on a PostgreSQL server: two at once (two servers or two releases
 * starting together) apply each migration once, and a migration marked
 * `-- makeline:no-transaction` (CREATE INDEX CONCURRENTLY) runs, which drizzle's migrator cannot.
 */
const url = new URL(process.env.DATABASE_URL!);
const names: string[] = [];
let admin: Connection;
const fresh = async () => {
  const name = `makeline_migrator_${randomBytes(4).toString("hex")}`;
  names.push(name);
  await admin.db.execute(sql.raw(`create database ${name}`));
  return Object.assign(new URL(url), { pathname: `/${name}` }).toString();
};
beforeAll(async () => {
  admin = await openPostgres(url.toString(), { max: 1 });
});
afterAll(async () => {
  for (const n of names) await admin.db.execute(sql.raw(`drop database if exists ${n} with (force)`));
  await admin.close();
});

test("two migrations at once on an empty database: both succeed, each migration is applied once", async () => {
  const target = await fresh();
  const [one, two] = [await openPostgres(target, { max: 2 }), await openPostgres(target, { max: 2 })];
  try {
    const reports = await Promise.all([migrateDatabase(one), migrateDatabase(two)]);
    const expected = readMigrationFiles({ migrationsFolder }).length;
    expect(reports.map((r) => r.applied.length).sort((a, b) => a - b)).toEqual([0, expected]);
    const [row] = rowsOf<{ n: number; distinct: number }>(await one.db.execute(sql`select count(*)::int as n, count(distinct created_at)::int as distinct from drizzle.__drizzle_migrations`));
    expect(row).toEqual({ n: expected, distinct: expected });
    const [index] = rowsOf<{ valid: boolean }>(
      await one.db.execute(sql`select i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid where c.relname = 'notifications_read_idx'`),
    );
    expect(index.valid).toBe(true);
  } finally {
    await one.close();
    await two.close();
  }
});

test("drizzle's own migrator runs everything in one transaction, where CREATE INDEX CONCURRENTLY cannot run", async () => {
  expect(readMigrationFiles({ migrationsFolder }).some((m) => m.sql[0].trimStart().startsWith(NO_TRANSACTION_MARKER))).toBe(true);
  const target = await fresh();
  const conn = await openPostgres(target, { max: 1 });
  try {
    await expect(drizzleMigrate(conn.db as never, { migrationsFolder })).rejects.toThrow();
  } finally {
    await conn.close();
  }
});
