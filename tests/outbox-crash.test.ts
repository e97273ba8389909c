import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { eq, inArray } from "drizzle-orm";
import type { Connection, Db } from "@/db/client";
import { accounts, notifications, orders, stores } from "@/db/schema";
import { deliverPendingEmails } from "@/lib/email/outbox";
import { seedBase } from "@/lib/demo/seed";
import { resendMailer } from "@/lib/email/send";
import { onServer, testDatabase, testPgliteFolder } from "./database";
import { startFakeResend } from "./fake-resend";

/**
 * A sender killed after its emails left and before it recorded them (STYLE rule 18), the way it
 * happens: `npm run automations` in a process of its own, against a slow provider, killed with
 * SIGKILL once the first answers are back. When its leases expire and more alerts have come in
 * for the same people, the next pass must not put the alerts that may have left into a grouped
 * email (a new idempotency key the provider cannot drop): each alert reaches the provider once.
 */

const root = path.resolve(import.meta.dirname, "..");
const PEOPLE = 8;
const FIRST = 3; // each: at most GROUP_THRESHOLD, so the killed pass sends them one by one
const LATER = 2; // each, after the kill: 5 due per person, which a pass groups
const MINUTE = 60_000;

let conn: Connection & { url?: string };
let dir: string | undefined;
let fake: Awaited<ReturnType<typeof startFakeResend>>;

beforeAll(async () => {
  fake = await startFakeResend({ latencyMs: 500 });
  if (onServer()) conn = await testDatabase();
  else {
    dir = mkdtempSync(path.join(tmpdir(), "makeline-crash-"));
    conn = await testPgliteFolder(path.join(dir, "pglite"));
  }
});
afterAll(async () => {
  await conn?.close();
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** One alert per new order for each person, due now. */
async function alerts(db: Db, people: number[], each: number, tag: string) {
  const [store] = await db.select({ id: stores.id }).from(stores).limit(1);
  const dueLater = new Date(Date.now() + 30 * 24 * 60 * MINUTE);
  for (const accountId of people) {
    const made = await db
      .insert(orders)
      .values(Array.from({ length: each }, (_, i) => ({ storeId: store.id, stage: "inProduction" as const, state: "active" as const, stageEnteredAt: new Date(), stageDueAt: dueLater, fields: {}, productSummary: `${tag} ${i}` })))
      .returning({ id: orders.id });
    await db.insert(notifications).values(made.map((o) => ({ accountId, orderId: o.id, message: `${tag} alert`, priority: "normal" as const, emailNextAttemptAt: new Date(Date.now() - MINUTE) })));
  }
}

function runPassInChild(): ChildProcess {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "test",
    MAKELINE_AUTOMATIONS_EVERY: "0",
    RESEND_API_KEY: "re_test_crash",
    RESEND_BASE_URL: fake.url,
    RESEND_RATE_PER_SECOND: "1000",
    ...(onServer() ? { DATABASE_URL: conn.url } : { MAKELINE_DATA_DIR: path.join(dir!, "pglite") }),
  };
  if (!onServer()) delete env.DATABASE_URL;
  return spawn(process.execPath, ["--import", "tsx", "--import", "./lib/cli/register.mjs", "lib/automation/cli.ts"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
}

test("a pass killed after sending and before recording: after the lease, nothing reaches the provider twice", async () => {
  await seedBase(conn.db);
  const people = (
    await conn.db
      .insert(accounts)
      .values(Array.from({ length: PEOPLE }, (_, i) => ({ email: `crash-${i}@example.com`, name: `Crash ${i}`, passwordHash: "x", roles: ["productionTeam" as const] })))
      .returning({ id: accounts.id })
  ).map((a) => a.id);
  await alerts(conn.db, people, FIRST, "Before the kill");
  if (!onServer()) await conn.close();

  const child = runPassInChild();
  let output = "";
  child.stdout!.on("data", (c) => (output += c));
  child.stderr!.on("data", (c) => (output += c));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // Killed once the first answers are back: those emails left, and (before the fix) none was recorded.
  const deadline = Date.now() + 60_000;
  while (fake.stats.answered < PEOPLE && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 10));
  child.kill("SIGKILL");
  await exited;
  expect(fake.stats.answered, output).toBeGreaterThanOrEqual(PEOPLE);
  const leftBeforeKill = fake.deliveries.length;

  if (!onServer()) conn = await testPgliteFolderReopen();
  // More alerts for the same people, then a pass after the dead sender's leases ran out.
  await alerts(conn.db, people, LATER, "After the kill");
  const later = new Date(Date.now() + 6 * MINUTE);
  const mailer = resendMailer({ apiKey: "re_test_crash", baseUrl: fake.url, from: "Makeline <alerts@makeline.local>", ratePerSecond: Number.POSITIVE_INFINITY });
  await deliverPendingEmails(conn.db, { now: later, mailer });
  await deliverPendingEmails(conn.db, { now: new Date(later.getTime() + 6 * MINUTE), mailer });

  const rows = await conn.db.select({ id: notifications.id, orderId: notifications.orderId, accountId: notifications.accountId, status: notifications.emailStatus }).from(notifications).where(inArray(notifications.accountId, people));
  expect(rows).toHaveLength(PEOPLE * (FIRST + LATER));
  expect(rows.every((r) => r.status === "sent")).toBe(true);
  const emails = await conn.db.select({ id: accounts.id, email: accounts.email }).from(accounts).where(inArray(accounts.id, people));
  const addressOf = new Map(emails.map((a) => [a.id, a.email]));
  // Each alert in exactly one delivered email to its person: its order's link appears once.
  const times = rows.map((r) => {
    const link = new RegExp(`/orders/${r.orderId}(?!\\d)`);
    return fake.deliveries.filter((d) => [d.body.to].flat().includes(addressOf.get(r.accountId)) && link.test(d.body.html ?? "")).length;
  });
  const twice = times.filter((n) => n > 1).length;
  console.log(
    `[outbox crash] ${PEOPLE * FIRST} alerts, killed after ${leftBeforeKill} had left; then ${PEOPLE * LATER} more: ` +
      `${fake.deliveries.length} emails delivered (${fake.stats.duplicates} repeats dropped by key, ${fake.stats.changedPayloads} changed), alerts delivered twice: ${twice}`,
  );
  expect(twice).toBe(0);
  expect(times.every((n) => n === 1)).toBe(true);
  // The later alerts (never tried) may still be grouped.
  const [one] = people;
  expect((await conn.db.select().from(notifications).where(eq(notifications.accountId, one))).length).toBe(FIRST + LATER);
}, 120_000);

/** PGlite after the child was killed: opened again from its folder (recovering as after any crash). */
async function testPgliteFolderReopen(): Promise<Connection> {
  const { openPglite } = await import("@/db/client");
  return openPglite(path.join(dir!, "pglite"), { migrate: false });
}
