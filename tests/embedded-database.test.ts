import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { count, eq, inArray } from "drizzle-orm";
import { afterAll, describe, expect, test } from "vitest";
import { openPglite } from "@/db/client";
import { lockFileOf } from "@/db/folder-lock";
import { accounts, orders } from "@/db/schema";
import { demoAccounts } from "@/lib/demo/seed";
import { cliEnv, root, runCli } from "./support/cli";

const dir = mkdtempSync(path.join(tmpdir(), "makeline-embedded-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts tests/support/embedded-child.ts and resolves once it has the database open. */
function child(mode: "hold" | "boot", dataDir: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["--import", "tsx", "--import", "./lib/cli/register.mjs", "tests/support/embedded-child.ts", mode, dataDir], {
      cwd: root,
      env: cliEnv({}),
      stdio: ["ignore", "pipe", "inherit"],
    });
    p.on("error", reject);
    p.on("exit", (code) => reject(new Error(`child exited with ${code} before opening`)));
    p.stdout!.on("data", (d) => {
      if (String(d).includes("open")) resolve(p);
    });
  });
}

const killed = (p: ChildProcess) => new Promise<void>((r) => (p.exitCode !== null || p.signalCode !== null ? r() : p.once("exit", () => r())));

describe("one process at a time on the embedded database", () => {
  test("a second opener fails at once with a message naming the holder; npm run automations beside the server is refused", async () => {
    const data = path.join(dir, "held");
    const holder = await child("hold", data);
    try {
      const started = Date.now();
      await expect(openPglite(data)).rejects.toThrow(new RegExp(`in use by another process \\(process ${holder.pid} .*use PostgreSQL \\(DATABASE_URL\\)`));
      expect(Date.now() - started).toBeLessThan(1_000);
      const automations = await runCli("lib/automation/cli.ts", [], cliEnv({ MAKELINE_DATA_DIR: data }));
      expect(automations.code).not.toBe(0);
      expect(automations.stderr).toMatch(/is in use by another process/);
    } finally {
      holder.kill("SIGKILL");
      await killed(holder);
    }
    // A lock left behind by a killed process is taken over by the next opener.
    expect(existsSync(lockFileOf(data))).toBe(true);
    const next = await openPglite(data);
    await next.close();
    expect(existsSync(lockFileOf(data))).toBe(false);
  }, 240_000);
});

describe("the first boot", () => {
  test("killed while seeding the demo, the next start seeds it whole", async () => {
    const data = path.join(dir, "first-boot");
    const boot = await child("boot", data);
    // Killed once the accounts and the history are written, before the live orders.
    await new Promise<void>((resolve) => boot.stdout!.on("data", (d) => String(d).includes("step: vacuum, KPI rollups and order counters") && resolve()));
    boot.kill("SIGKILL");
    await killed(boot);
    expect(boot.signalCode).toBe("SIGKILL");

    const again = await child("boot", data);
    await new Promise<void>((resolve) => again.stdout!.on("data", (d) => String(d).includes("seeded") && resolve()));
    await killed(again);
    const conn = await openPglite(data);
    try {
      const live = await conn.db.select({ n: count() }).from(orders).where(inArray(orders.state, ["active", "onHold"]));
      const all = await conn.db.select({ n: count() }).from(orders);
      console.log(`[first boot] after a kill -9 mid-seed and a restart: ${all[0].n} orders (${live[0].n} live)`);
      expect(live[0].n).toBe(10);
      expect(all[0].n).toBe(60 + 11);
      expect((await conn.db.select({ n: count() }).from(accounts).where(eq(accounts.active, true)))[0].n).toBe(demoAccounts.length);
    } finally {
      await conn.close();
    }
  }, 240_000);
});
