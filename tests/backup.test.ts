import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { openPglite } from "@/db/client";
import { seedDemo } from "@/lib/demo/seed";
import { cliEnv, runCli } from "./support/cli";
import { fingerprint } from "./support/fingerprint";

/**
 * Backups as docs/deploying.md says to take them: the embedded database with npm run
 * db:backup / db:restore (PostgreSQL's pg_dump / pg_restore: backup.server.test.ts). It restores into a fresh
 * database whose every table has the same row count and checksum as the original's.
 */
const dir = mkdtempSync(path.join(tmpdir(), "makeline-backup-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the embedded database", () => {
  test("npm run db:backup, then npm run db:restore into a fresh MAKELINE_DATA_DIR: every table's rows and checksum equal", async () => {
    const original = path.join(dir, "original");
    const conn = await openPglite(original);
    let before: Awaited<ReturnType<typeof fingerprint>>;
    try {
      await seedDemo(conn.db, { historyOrders: 60 });
      before = await fingerprint(conn.db);
    } finally {
      await conn.close();
    }
    const file = path.join(dir, "makeline.tar.gz");
    const backup = await runCli("lib/operations/backup-cli.ts", ["backup", file], cliEnv({ MAKELINE_DATA_DIR: original }));
    expect(backup.stderr).toBe("");
    expect(backup.code).toBe(0);

    const restoredDir = path.join(dir, "restored");
    const restore = await runCli("lib/operations/backup-cli.ts", ["restore", file], cliEnv({ MAKELINE_DATA_DIR: restoredDir }));
    expect(restore.stderr).toBe("");
    expect(restore.code).toBe(0);
    // Restoring over a database is refused.
    const again = await runCli("lib/operations/backup-cli.ts", ["restore", file], cliEnv({ MAKELINE_DATA_DIR: restoredDir }));
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds a database/);

    const restored = await openPglite(restoredDir, { migrate: false });
    try {
      const after = await fingerprint(restored.db);
      expect(Object.keys(after).length).toBeGreaterThan(20);
      expect(before!["public.orders"].rows).toBeGreaterThan(60);
      expect(after).toEqual(before!);
      console.log(`[backup] embedded: ${Object.keys(after).length} tables, ${Object.values(after).reduce((n, t) => n + t.rows, 0)} rows, every checksum equal`);
    } finally {
      await restored.close();
    }
  }, 300_000);
});

