import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { count, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Connection, openPglite } from "@/db/client";
import { accounts, auditLog, automationRules, orders, shopSettings, stores, workCalendars } from "@/db/schema";
import { verifyPassword } from "@/lib/auth/password";
import { defaultRules } from "@/lib/automation/defaults";
import { addWorkingHours, calendarFrom } from "@/lib/time/calendar";
import { setupShop } from "@/lib/setup/setup";
import { testDatabase } from "./database";
import { cliEnv, root, runCli } from "./support/cli";

let conn: Connection;
beforeAll(async () => {
  conn = await testDatabase();
});
afterAll(() => conn.close());

const counts = async () => ({
  accounts: (await conn.db.select({ n: count() }).from(accounts))[0].n,
  stores: (await conn.db.select({ n: count() }).from(stores))[0].n,
  rules: (await conn.db.select({ n: count() }).from(automationRules))[0].n,
  orders: (await conn.db.select({ n: count() }).from(orders))[0].n,
});

describe("setupShop on an empty production database", () => {
  test("the first administrator with a password shown once, the shop's zone and working hours, its stores, the card's rules and the defaults; no demo data", async () => {
    const result = await setupShop(conn.db, { adminEmail: "Owner@Shop.example", timeZone: "Europe/Berlin", stores: ["North:Europe/Berlin", "south-side:Europe/Vienna"] });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { report } = result;
    expect(report.admin).toMatchObject({ email: "owner@shop.example", created: true });
    expect(report.admin.generatedPassword).toMatch(/^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}$/);
    const [admin] = await conn.db.select().from(accounts).where(eq(accounts.email, "owner@shop.example"));
    expect(admin.roles).toEqual(["admin"]);
    expect(await verifyPassword(admin.passwordHash, report.admin.generatedPassword!)).toBe(true);
    expect((await conn.db.select().from(shopSettings))[0].timeZone).toBe("Europe/Berlin");
    expect(await conn.db.select({ code: stores.code, name: stores.name, timeZone: stores.timeZone }).from(stores).orderBy(stores.code)).toEqual([
      { code: "north", name: "North", timeZone: "Europe/Berlin" },
      { code: "south-side", name: "South side", timeZone: "Europe/Vienna" },
    ]);
    const rules = await conn.db.select({ key: automationRules.key }).from(automationRules);
    expect(rules.map((r) => r.key).sort()).toEqual(defaultRules.map((r) => r.key!).sort());
    expect(rules.map((r) => r.key)).toEqual(expect.arrayContaining(["feasibility-alert", "stage-overdue-escalation"]));
    expect(await conn.db.select().from(accounts).where(like(accounts.email, "%@example.com"))).toEqual([]);
    expect((await counts()).orders).toBe(0);
    const audit = await conn.db.select({ kind: auditLog.kind }).from(auditLog);
    expect(audit.map((a) => a.kind).sort()).toEqual(["accountCreated", "calendarChanged", "storeCreated", "storeCreated"]);
    // The shop's calendar: a stage clock started Friday 16:00 in Berlin with 4 working hours ends Monday 11:00, not Friday 20:00.
    expect(report.calendarAdded).toBe("Monday to Friday, 08:00–17:00");
    const calendars = await conn.db.select().from(workCalendars);
    expect(calendars).toHaveLength(1);
    expect(calendars[0].storeId).toBeNull();
    const shop = calendarFrom("Europe/Berlin", calendars[0].week, calendars[0].holidays);
    expect(addWorkingHours(shop, new Date("2026-12-04T15:00:00Z"), 4).toISOString()).toBe("2026-12-07T10:00:00.000Z");
  });

  test("running it again changes nothing it was not told to: no new password, no second store, a deleted default stays deleted", async () => {
    await conn.db.delete(automationRules).where(eq(automationRules.key, "stage-at-risk-to-owner"));
    const before = await counts();
    const [{ passwordHash }] = await conn.db.select().from(accounts).where(eq(accounts.email, "owner@shop.example"));
    const again = await setupShop(conn.db, { adminEmail: "owner@shop.example", timeZone: "Europe/Berlin", stores: ["north:Europe/Berlin", "South side:Europe/Vienna"] });
    expect(again.ok).toBe(true);
    if (!again.ok) return;
    expect(again.report.admin).toEqual({ email: "owner@shop.example", created: false });
    expect(again.report.stores.map((s) => s.status)).toEqual(["unchanged", "unchanged"]);
    expect(again.report.rulesAdded).toBe(0);
    expect(again.report.calendarAdded).toBeNull();
    expect(await counts()).toEqual(before);
    expect((await conn.db.select().from(accounts).where(eq(accounts.email, "owner@shop.example")))[0].passwordHash).toBe(passwordHash);
  });

  test("a typed password is checked; a store without a valid zone is refused and nothing is written", async () => {
    const before = await counts();
    const short = await setupShop(conn.db, { adminEmail: "second@shop.example", adminPassword: "short", timeZone: "UTC" });
    expect(short).toMatchObject({ ok: false, problems: [expect.stringMatching(/adminPassword: Use at least 12 characters/)] });
    const zone = await setupShop(conn.db, { adminEmail: "second@shop.example", timeZone: "UTC", stores: ["East:Mars/Olympus"] });
    expect(zone).toMatchObject({ ok: false, problems: [expect.stringMatching(/"Mars\/Olympus" is not a time zone/)] });
    expect(await counts()).toEqual(before);
  });
});

describe("npm run setup and the demo seed, as an operator runs them", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "makeline-setup-"));
  const env = cliEnv({ MAKELINE_DATA_DIR: path.join(dir, "pglite") });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("flags in a script: the administrator is created and the password printed once", async () => {
    const run = await runCli("lib/setup/cli.ts", ["--admin-email", "owner@shop.example", "--time-zone", "Europe/Berlin", "--store", "North:Europe/Berlin", "--store", "South:Europe/Vienna"], env);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Administrator owner@shop\.example: created/);
    expect(run.stdout.match(/Password \(shown once[^:]*\): \S+/g)).toHaveLength(1);
    expect(run.stdout).toMatch(/Store North \(north, Europe\/Berlin\): created/);
    const rerun = await runCli("lib/setup/cli.ts", ["--admin-email", "owner@shop.example", "--time-zone", "Europe/Berlin", "--store", "North:Europe/Berlin"], env);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(/exists, left as it is/);
    expect(rerun.stdout).not.toMatch(/Password/);
  }, 240_000);

  test("in a terminal it asks for each thing, typing the password unseen", async () => {
    const ttyDir = path.join(dir, "tty");
    // A real terminal (script(1) gives the command a pty); each answer is typed once its question shows.
    const answers: [RegExp, string][] = [
      [/Administrator's email: $/, "tty.owner@shop.example"],
      [/name \[Administrator\]: $/, "Tess Owner"],
      [/show it once\): $/, "correct-horse-battery"],
      [/time zone \[[^\]]+\]: $/, "Europe/Berlin"],
      [/Store 1: name or code \(Enter when done\): $/, "North"],
      [/North's time zone \[Europe\/Berlin\]: $/, ""],
      [/Store 2: name or code \(Enter when done\): $/, ""],
    ];
    const command = `${JSON.stringify(process.execPath)} --import tsx --import ./lib/cli/register.mjs lib/setup/cli.ts`;
    const child = spawn("script", ["-qec", command, "/dev/null"], { cwd: root, env: cliEnv({ MAKELINE_DATA_DIR: ttyDir }), stdio: ["pipe", "pipe", "pipe"] });
    let screen = "";
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    child.stdout.on("data", (d) => {
      screen += String(d);
      const plain = screen.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");
      const next = answers[0];
      if (next && next[0].test(plain)) {
        answers.shift();
        screen = "";
        child.stdin.write(`${next[1]}\r`);
      }
    });
    let all = "";
    child.stdout.on("data", (d) => (all += String(d)));
    const code = await Promise.race([exited, new Promise<"hung">((r) => setTimeout(() => r("hung"), 90_000))]);
    if (code === "hung") child.kill("SIGKILL");
    expect(code, all).toBe(0);
    expect(answers).toEqual([]);
    expect(all).toMatch(/Administrator tty\.owner@shop\.example: created/);
    expect(all).toMatch(/Store North \(north, Europe\/Berlin\): created/);
    expect(all).not.toContain("correct-horse-battery");
    expect(all).not.toMatch(/Password \(shown once/);
    const check = await openPglite(ttyDir, { migrate: false });
    try {
      const [owner] = await check.db.select().from(accounts).where(eq(accounts.email, "tty.owner@shop.example"));
      expect(owner.name).toBe("Tess Owner");
      expect(await verifyPassword(owner.passwordHash, "correct-horse-battery")).toBe(true);
    } finally {
      await check.close();
    }
  }, 240_000);

  test("the demo seed refuses a database that setup made for a shop unless --demo is given (no NODE_ENV, as from a terminal)", async () => {
    const seed = await runCli("lib/demo/seed-cli.ts", [], env);
    expect(seed.code).toBe(2);
    expect(seed.stderr).toMatch(/Refusing to seed the demo into a database that `npm run setup` has set up/);
    const check = await openPglite(env.MAKELINE_DATA_DIR!, { migrate: false });
    try {
      expect(await check.db.select().from(accounts).where(like(accounts.email, "%@example.com"))).toEqual([]);
    } finally {
      await check.close();
    }
  }, 240_000);

  test("the demo seed refuses a server that is not on this machine, before connecting", async () => {
    const seed = await runCli("lib/demo/seed-cli.ts", [], { ...env, DATABASE_URL: "postgres://makeline@db.shop.invalid:5432/makeline" });
    expect(seed.code).toBe(2);
    expect(seed.stderr).toMatch(/Refusing to seed the demo .* into db\.shop\.invalid, which is not on this machine/);
  }, 240_000);
});
