import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, expect, test } from "vitest";
import { type Connection, openPostgres } from "@/db/client";
import { seedDemo } from "@/lib/demo/seed";
import { fingerprint } from "./support/fingerprint";

/** PostgreSQL's backup as docs/deploying.md says to take it: pg_dump, then pg_restore into a fresh database. */
const dir = mkdtempSync(path.join(tmpdir(), "makeline-pgbackup-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("pg_dump -Fc, then pg_restore into a new database: every table's rows and checksum equal", async () => {
  const url = new URL(process.env.DATABASE_URL!);
  const names = [`makeline_backup_${process.pid}`, `makeline_restored_${process.pid}`];
  const admin = await openPostgres(url.toString(), { max: 1 });
  const at = (name: string) => Object.assign(new URL(url), { pathname: `/${name}` }).toString();
  let source: Connection | undefined;
  let target: Connection | undefined;
  try {
    for (const n of names) await admin.db.execute(sql.raw(`create database ${n}`));
    source = await openPostgres(at(names[0]), { max: 4, migrate: true });
    await seedDemo(source.db, { historyOrders: 200 });
    const before = await fingerprint(source.db);
    const file = path.join(dir, "makeline.dump");
    // The commands of docs/deploying.md, "Backups".
    execFileSync("pg_dump", ["--format=custom", "--no-owner", `--file=${file}`, at(names[0])]);
    execFileSync("pg_restore", ["--no-owner", "--exit-on-error", `--dbname=${at(names[1])}`, file]);
    target = await openPostgres(at(names[1]), { max: 1 });
    const after = await fingerprint(target.db);
    expect(after).toEqual(before);
    console.log(`[backup] PostgreSQL: ${Object.keys(after).length} tables, ${Object.values(after).reduce((n, t) => n + t.rows, 0)} rows, every checksum equal`);
  } finally {
    await source?.close();
    await target?.close();
    for (const n of names) await admin.db.execute(sql.raw(`drop database if exists ${n} with (force)`));
    await admin.close();
  }
});
