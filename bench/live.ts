import { type ChildProcess, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { chromium } from "@playwright/test";
import { openPostgres, rowsOf } from "@/db/client";
import { sessionCookie, startServer, treeCpuMs } from "./server";
import { pct } from "./timing";
import { driveOrder } from "@/lib/demo/orders";
import { demoActor, seedBase } from "@/lib/demo/seed";
import { completeStage } from "@/lib/orders/commands";
import { firstStage, formatOrderNumber } from "@/lib/workflow";

/**
 * `npm run bench:live [-- --pages 200 --changes 50 --idle 30 --dist .next/e2e --refresh]` (decision 026):
 * what live pages cost and how soon they show a change, on `next start` over PostgreSQL
 * (DATABASE_URL; a fresh database makeline_bench_live on that server, dropped at the end).
 *
 * Opens `pages` live pages: one real Chromium tab on the board (as ops) and `pages - 1` event
 * streams held open over HTTP as a browser's EventSource holds them (as ops, dispatch and the
 * North store manager in turn). Measures the server's CPU and memory and the database's
 * connections while they idle, then makes `changes` stage completions from this process (a
 * second app server, as it were, through the real command) one after another and times, for
 * each, from the commit to (a) each stream receiving its event and (b) the board in Chromium
 * showing the card in its new column (the column's count). With --refresh each stream also
 * re-reads the board when told, as every open page's refresh would: the cost of the herd. Needs a production build (`npm run build`, or the e2e
 * build: `--dist .next/e2e`). Prints the figures and writes bench/live-results.json.
 */

const { values } = parseArgs({
  options: {
    pages: { type: "string", default: "200" },
    changes: { type: "string", default: "50" },
    idle: { type: "string", default: "30" },
    dist: { type: "string", default: ".next" },
    /** Each stream also re-reads the board when told of a change, as each open page's refresh does. */
    refresh: { type: "boolean", default: false },
  },
});
const PAGES = Number(values.pages);
const CHANGES = Number(values.changes);
const IDLE_S = Number(values.idle);
const url = process.env.DATABASE_URL;
if (!url) throw new Error("bench:live needs DATABASE_URL (a PostgreSQL server): the bench changes orders from its own process while the app server runs");

const ms = (v: number) => `${v.toFixed(0)} ms`;
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));

const treeCpuSeconds = (pid: number) => treeCpuMs(pid) / 1000;
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
const sockets = (pid: number) => {
  try {
    return execFileSync("ls", [`/proc/${pid}/fd`], { encoding: "utf8" }).split("\n").filter(Boolean).filter((fd) => {
      try {
        return execFileSync("readlink", [`/proc/${pid}/fd/${fd}`], { encoding: "utf8" }).startsWith("socket:");
      } catch {
        return false;
      }
    }).length;
  } catch {
    return -1;
  }
};

type Stream = { arrivals: Map<number, number>; refreshed: Map<number, number>; abort: AbortController; opened: Promise<void> };

/** An event stream held open as an EventSource holds it; records when each order's event arrives. */
function openStream(base: string, cookie: string): Stream {
  const abort = new AbortController();
  const arrivals = new Map<number, number>();
  const refreshed = new Map<number, number>();
  let ready!: () => void;
  const opened = new Promise<void>((r) => (ready = r));
  void (async () => {
    const res = await fetch(`${base}/api/live`, { headers: { cookie, accept: "text/event-stream" }, signal: abort.signal });
    if (res.status !== 200) throw new Error(`live stream answered ${res.status}`);
    const decoder = new TextDecoder();
    let buffer = "";
    for await (const chunk of res.body!) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (frame.includes("event: hello")) ready();
        const m = /event: order\ndata: (\d+)/.exec(frame);
        if (m && !arrivals.has(Number(m[1]))) {
          const id = Number(m[1]);
          arrivals.set(id, performance.now());
          // What router.refresh() asks of the server: the page's render, as React Server Components.
          if (values.refresh) void fetch(`${base}/board`, { headers: { cookie, rsc: "1" }, signal: abort.signal }).then(async (r) => {
            await r.arrayBuffer();
            refreshed.set(id, performance.now());
          }, () => {});
        }
      }
    }
  })().catch((e: Error) => {
    if (e.name !== "AbortError") console.error(e.message);
  });
  return { arrivals, refreshed, abort, opened };
}

const dbName = "makeline_bench_live";
const admin = await openPostgres(url, { max: 1 });
await admin.db.execute(sql.raw(`drop database if exists ${dbName} with (force)`));
await admin.db.execute(sql.raw(`create database ${dbName}`));
await admin.close();
const target = new URL(url);
target.pathname = `/${dbName}`;
const conn = await openPostgres(target.toString(), { max: 1, migrate: true });
const secret = randomBytes(32).toString("base64");
let server: ChildProcess | undefined;
const streams: Stream[] = [];
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--headless", "--disable-gpu"] });
try {
  await seedBase(conn.db);
  const north = await demoActor(conn.db, "store.north@example.com");
  const viewers = [await demoActor(conn.db, "ops@example.com"), await demoActor(conn.db, "dispatch@example.com"), north];
  const orders = [];
  for (let i = 0; i < CHANGES; i++) orders.push(await driveOrder(conn.db, { storeCode: "north", to: firstStage, specifications: `Live bench order ${i + 1}` }));
  console.log(`Seeded ${orders.length} orders in Store Order`);

  const started = await startServer({ DATABASE_URL: target.toString(), NEXT_DIST_DIR: values.dist!, MAKELINE_ALLOW_DEMO: "1", MAKELINE_LIVE: "stream" }, secret);
  server = started.child;
  const pid = server.pid!;
  const { base } = started;
  const cookies = await Promise.all(viewers.map((v) => sessionCookie(v, secret, conn)));

  // The one real page: the board in Chromium, as ops.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const [name, ...rest] = cookies[0].split("=");
  await context.addCookies([{ name, value: rest.join("="), url: base }]);
  const page = await context.newPage();
  await page.goto(`${base}/board`);
  await page.getByRole("heading", { name: "Board", level: 1 }).waitFor();
  // The other pages: event streams, as the browser's EventSource keeps them.
  const beforeOpen = treeCpuSeconds(pid);
  for (let i = 0; i < PAGES - 1; i++) streams.push(openStream(base, cookies[i % cookies.length]));
  await Promise.all(streams.map((s) => s.opened));
  const openCpu = treeCpuSeconds(pid) - beforeOpen;
  await sleep(2000);

  const dbConnections = async () =>
    rowsOf<{ all: number; listening: number }>(
      await conn.db.execute(sql`select count(*)::int as all, count(*) filter (where query ilike 'listen%')::int as listening from pg_stat_activity where datname = ${dbName} and application_name = 'makeline' and pid <> pg_backend_pid()`),
    )[0];
  const idleStart = treeCpuSeconds(pid);
  await sleep(IDLE_S * 1000);
  const idleCpu = treeCpuSeconds(pid) - idleStart;
  const idle = { pages: PAGES, cpuPercentIdle: (idleCpu / IDLE_S) * 100, cpuSecondsToOpen: openCpu, rssMb: rssMb(pid), sockets: sockets(pid), db: await dbConnections() };
  console.log(`${PAGES} live pages open: server CPU ${idle.cpuPercentIdle.toFixed(1)} % of a core idle, ${openCpu.toFixed(2)} CPU s to open them, RSS ${idle.rssMb.toFixed(0)} MB, ${idle.sockets} sockets, database connections ${JSON.stringify(idle.db)}`);

  // The changes, one after another, each from this process as another app server would make it.
  const streamDelays: number[] = [];
  const lastStreamDelays: number[] = [];
  const boardDelays: number[] = [];
  const refreshDelays: number[] = [];
  const changeStart = treeCpuSeconds(pid);
  const changeWall = performance.now();
  for (const [i, order] of orders.entries()) {
    const number = formatOrderNumber(order.id);
    const moved = i + 1;
    const done = await completeStage({ db: conn.db, actor: north }, { orderId: order.id, version: order.version, confirmOpenTodos: true });
    const committed = performance.now();
    if (!done.ok) throw new Error(`change refused: ${JSON.stringify(done)}`);
    const shown = page
      .waitForFunction(
        // The column's count: a column shows its first 20 cards, and the newest comes last.
        (n) => [...document.querySelectorAll("section h2")].some((h) => h.textContent === `2. Receiving by Dispatch${n}`),
        moved,
        { polling: "raf", timeout: 30_000 },
      )
      .then(() => boardDelays.push(performance.now() - committed));
    const end = performance.now() + (values.refresh ? 120_000 : 10_000);
    while (streams.some((s) => !s.arrivals.has(order.id) || (values.refresh && !s.refreshed.has(order.id))) && performance.now() < end) await sleep(5);
    if (values.refresh) refreshDelays.push(...streams.map((s) => s.refreshed.get(order.id)).filter((t): t is number => t !== undefined).map((t) => t - committed));
    await shown.catch(async (error: Error) => {
      const columns = await page.evaluate(() => [...document.querySelectorAll("section h2")].map((h) => h.textContent));
      throw new Error(`${number} not shown on the board (${streams.filter((s) => s.arrivals.has(order.id)).length} streams had its event; columns ${JSON.stringify(columns)}): ${error.message}`);
    });
    const got = streams.map((s) => s.arrivals.get(order.id)).filter((t): t is number => t !== undefined);
    if (got.length < streams.length) console.warn(`  ${number}: ${streams.length - got.length} streams missed it`);
    const delays = got.map((t) => Math.max(0, t - committed));
    streamDelays.push(...delays);
    lastStreamDelays.push(Math.max(...delays));
    await sleep(300);
  }
  const changeSeconds = (performance.now() - changeWall) / 1000;
  const changeCpu = treeCpuSeconds(pid) - changeStart;
  const result = {
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, loadavg: loadavg() },
    idle,
    changes: CHANGES,
    cpuPercentDuringChanges: (changeCpu / changeSeconds) * 100,
    cpuMsPerChange: (changeCpu * 1000) / CHANGES,
    boardShowsChange: { p50: pct(boardDelays, 0.5), p95: pct(boardDelays, 0.95), max: Math.max(...boardDelays) },
    streamEvent: { p50: pct(streamDelays, 0.5), p95: pct(streamDelays, 0.95), samples: streamDelays.length },
    lastOfAllStreams: { p50: pct(lastStreamDelays, 0.5), p95: pct(lastStreamDelays, 0.95) },
    ...(values.refresh ? { everyPageRefreshed: { p50: pct(refreshDelays, 0.5), p95: pct(refreshDelays, 0.95), max: Math.max(...refreshDelays), samples: refreshDelays.length } } : {}),
  };
  console.log(`${CHANGES} stage completions with ${PAGES} pages open (load ${loadavg().map((l) => l.toFixed(2)).join(" ")}):`);
  console.log(`  commit → the board in Chromium shows the card moved: p50 ${ms(result.boardShowsChange.p50)}, p95 ${ms(result.boardShowsChange.p95)}, max ${ms(result.boardShowsChange.max)}`);
  console.log(`  commit → each stream's event: p50 ${ms(result.streamEvent.p50)}, p95 ${ms(result.streamEvent.p95)} (${result.streamEvent.samples} events); the last of ${streams.length}: p50 ${ms(result.lastOfAllStreams.p50)}, p95 ${ms(result.lastOfAllStreams.p95)}`);
  if (result.everyPageRefreshed) console.log(`  commit → each stream's board re-read done: p50 ${ms(result.everyPageRefreshed.p50)}, p95 ${ms(result.everyPageRefreshed.p95)}, max ${ms(result.everyPageRefreshed.max)} (${result.everyPageRefreshed.samples})`);
  console.log(`  server CPU: ${result.cpuPercentDuringChanges.toFixed(1)} % of a core, ${result.cpuMsPerChange.toFixed(0)} ms a change (fan-out and ${values.refresh ? "every page's" : "the one board's"} refresh)`);
  writeFileSync("bench/live-results.json", `${JSON.stringify(result, null, 2)}\n`);
} finally {
  for (const s of streams) s.abort.abort();
  await browser.close();
  server?.kill();
  await conn.close();
  const again = await openPostgres(url, { max: 1 });
  await again.db.execute(sql.raw(`drop database if exists ${dbName} with (force)`));
  await again.close();
}
