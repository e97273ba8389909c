import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import { openPglite, rowsOf } from "@/db/client";
import { accounts, notifications, orders, stores } from "@/db/schema";
import { seedBase } from "@/lib/demo/seed";
import { startFakeResend } from "./fake-resend";
import { cliEnv, root } from "./support/cli";

/**
 * `npm run automations -- --every 60` (the self-hosted second process) asked to stop in the
 * middle of a long delivery: it stops within 10 s (it took 39 s, the rest of the pass's 45 s
 * budget), the sends in flight end and are recorded, and nothing stays leased.
 */
const dir = mkdtempSync(path.join(tmpdir(), "makeline-stop-"));
const dataDir = path.join(dir, "pglite");
let fake: Awaited<ReturnType<typeof startFakeResend>>;
const EMAILS = 300;

beforeAll(async () => {
  // Slow and rate limited: 300 emails would take about a minute.
  fake = await startFakeResend({ latencyMs: [150, 250], perSecond: 5 });
  const conn = await openPglite(dataDir);
  try {
    await seedBase(conn.db);
    const [store] = await conn.db.select({ id: stores.id }).from(stores).limit(1);
    const [o] = await conn.db
      .insert(orders)
      .values({ storeId: store.id, stage: "inProduction", state: "active", stageEnteredAt: new Date(), stageDueAt: new Date(Date.now() + 3_600_000), fields: {}, productSummary: "Stop test" })
      .returning({ id: orders.id });
    const made = await conn.db
      .insert(accounts)
      .values(Array.from({ length: EMAILS }, (_, i) => ({ email: `stop-${i}@example.com`, name: `Stop ${i}`, passwordHash: "x", roles: ["productionTeam" as const] })))
      .returning({ id: accounts.id });
    await conn.db.insert(notifications).values(made.map((a) => ({ accountId: a.id, orderId: o.id, message: "Stop test", priority: "normal" as const, emailNextAttemptAt: new Date(Date.now() - 60_000) })));
  } finally {
    await conn.close();
  }
}, 240_000);
afterAll(async () => {
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

test("SIGTERM in the middle of a pass: stopped within 10 s, in-flight sends recorded, no lease left", async () => {
  const child = spawn(process.execPath, ["--import", "tsx", "--import", "./lib/cli/register.mjs", "lib/automation/cli.ts", "--every", "60"], {
    cwd: root,
    env: cliEnv({ MAKELINE_DATA_DIR: dataDir, RESEND_API_KEY: "re_test_stop", RESEND_BASE_URL: fake.url, APP_URL: "http://127.0.0.1:1" }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  const deadline = Date.now() + 60_000;
  while (fake.requests.length < 10 && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
  expect(fake.requests.length, log).toBeGreaterThanOrEqual(10);
  const asked = Date.now();
  child.kill("SIGTERM");
  const code = await Promise.race([exited, new Promise<"hung">((r) => setTimeout(() => r("hung"), 50_000))]);
  const took = Date.now() - asked;
  if (code === "hung") child.kill("SIGKILL");
  console.log(`[graceful stop] exit ${code} after ${took} ms; ${fake.requests.length} requests at the fake`);
  expect(code).toBe(0);
  expect(took).toBeLessThan(10_000);

  const conn = await openPglite(dataDir, { migrate: false });
  try {
    const [row] = rowsOf<{ sent: number; leased: number; pending: number }>(
      await conn.db.execute(sql`select count(*) filter (where email_status = 'sent')::int as sent,
        count(*) filter (where email_locked_until > now())::int as leased,
        count(*) filter (where email_status = 'pending')::int as pending from notifications`),
    );
    expect(row.leased).toBe(0);
    expect(row.sent).toBe(fake.delivered());
    expect(row.sent + row.pending).toBe(EMAILS);
    expect(row.pending).toBeGreaterThan(0);
  } finally {
    await conn.close();
  }
}, 240_000);
