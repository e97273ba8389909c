import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { sql } from "drizzle-orm";
import { type Connection, openPglite, openPostgres, rowsOf } from "@/db/client";
import { chromiumJs, cpuMs, jsBytes, jsFloor, sessionCookie, startServer, stopServer } from "./server";
import { ms, time as timeRuns, timePair as timePairRuns } from "./timing";
import { listRules } from "@/db/queries/automation";
import { unreadCount } from "@/db/queries/notifications";
import { PAGE_SIZE, boardColumns, listOrders, myWork, orderDetail } from "@/db/queries/orders";
import { boardSchema, orderListSchema } from "@/lib/orders/filters";
import { listAllStores } from "@/db/queries/stores";
import { TRAVELLER_BATCH, filteredOrderIds, travellers } from "@/db/queries/travellers";
import { seedActiveOrders } from "@/lib/demo/active";
import { demoActor, seedDemo } from "@/lib/demo/seed";
import { deliverPendingEmails } from "@/lib/email/outbox";
import { rulePreviews } from "@/lib/automation/preview";
import { evaluateTimeRulesPass } from "@/lib/automation/runner";
import { resendMailer } from "@/lib/email/send";
import { exportJobs, orders } from "@/db/schema";
import { exactCapacityLoad, loadBetween } from "@/lib/planning/load";
import { capacityAround, capacityWeeks } from "@/lib/planning/check";
import { kpiCsvBySelect, kpiCsvText } from "@/lib/kpi/export";
import { runExportJob } from "@/lib/kpi/export-jobs";
import { LocalFolderStore } from "@/lib/storage";
import { exactDeliveryFigures, exactFailReasonFigures, exactKpiReport, exactOnTimeWeeks } from "@/lib/kpi/exact";
import { listFailReasons } from "@/db/queries/fail-reasons";
import { type KpiFilter, parseKpiFilter } from "@/lib/kpi/filters";
import { deliveryFigures, failReasonFigures, kpiReport, onTimeWeeks, wholeWeeks, workInProgress } from "@/lib/kpi/queries";
import { type Actor, inspectionStages, queueScope, seesAllStores, stageOfField, todayIso } from "@/lib/workflow";
import { startFakeResend } from "@/tests/fake-resend";
import { type LighthouseRow, measureLighthouse } from "./lighthouse";
import { measureApi } from "./api";

/**
 * `npm run bench [-- --orders 100000 --active 100000 --runs 15 --only pglite|server --seconds 8]`
 * (`--only-automation`, `--reset-automation`, `--resend-per-second N`: the automation case alone, again from scratch, against a fake Resend limited to N requests a second, 0 for none)
 *
 * Seeds a database once (the demo, N completed history orders, M active orders) and reuses it
 * on the next run with the same N and M: PGlite in .data/bench-N-M, and with DATABASE_URL a
 * database makeline_bench_N_M on that server. Then, each target next to its floor in the same
 * run: the queue's query (every role and view, first and deep pages) next to hand-written SQL
 * for the same rows; the KPI report next to the exact SQL; the CSV export; the automation pass
 * as it is; and over HTTP on `next start` (needs `npm run build` first) with autocannon, 10
 * connections: each page's requests a second, the server's CPU time per request, its HTML size
 * and the gzipped JS it loads next to the framework's floor (a hello-world page of the same Next
 * version, built once into .data/js-floor). The pages are read as dispatch, whose inbox the
 * automation pass has filled (the unread count is on every page), except those dispatch may not
 * open: the KPI page as ops, the admin pages as admin. Prints one table and writes
 * bench/results.json. With --lighthouse,
 * also Lighthouse's mobile performance score, LCP and TBT of the queue, an order, the board and
 * the KPI page (bench/lighthouse.ts; --lighthouse-runs, default 3, median kept).
 */

const { values } = parseArgs({
  options: {
    orders: { type: "string", default: "100000" },
    active: { type: "string", default: "100000" },
    runs: { type: "string", default: "15" },
    seconds: { type: "string", default: "8" },
    only: { type: "string" },
    "no-http": { type: "boolean", default: false },
    "no-automation": { type: "boolean", default: false },
    "no-api": { type: "boolean", default: false },
    "only-automation": { type: "boolean", default: false },
    "reset-automation": { type: "boolean", default: false },
    "resend-per-second": { type: "string", default: "200" },
    lighthouse: { type: "boolean", default: false },
    "lighthouse-runs": { type: "string", default: "3" },
  },
});
const N = Number(values.orders);
const M = Number(values.active);
const runs = Number(values.runs);
const seconds = Number(values.seconds);
process.env.MAKELINE_AUTOMATIONS_EVERY = "0";

/** `floor`: the least work that gives the same answer (hand-written SQL); `baseline`: another way to the same figures, for comparison. */
type Row = { group: string; name: string; p50: number; p95: number; floor?: number; baseline?: number; target?: string; extra?: string };
type Http = {
  name: string;
  path: string;
  as: string;
  p50: number;
  p90: number;
  p97_5: number;
  p99: number;
  rps: number;
  requests: number;
  cpuMsPerRequest: number;
  non2xx: number;
  htmlKb: number;
  jsGzipKb: number;
  /** Every script Chromium loads until the network is idle (lazy chunks too). */
  chromiumJsKb: number | null;
  nomoduleGzipKb: number;
  scripts: number;
};
const results: { driver: string; rows: Row[]; seed?: Record<string, number>; http?: Http[]; jsFloor?: { tags: number; chromium: number | null }; lighthouse?: LighthouseRow[] }[] = [];

const time = (fn: () => Promise<unknown>, times = runs) => timeRuns(fn, times);
const timePair = (a: () => Promise<unknown>, b: () => Promise<unknown>, times = runs) => timePairRuns(a, b, times);

async function open(driver: "pglite" | "server"): Promise<{ conn: Connection; env: Record<string, string>; fresh: boolean }> {
  if (driver === "pglite") {
    const dir = path.resolve(`.data/bench-${N}-${M}`);
    const fresh = !existsSync(path.join(dir, "PG_VERSION"));
    mkdirSync(dir, { recursive: true });
    return { conn: await openPglite(dir), env: { MAKELINE_DATA_DIR: dir }, fresh };
  }
  const url = process.env.DATABASE_URL!;
  const name = `makeline_bench_${N}_${M}`;
  const admin = await openPostgres(url, { max: 1 });
  const exists = rowsOf(await admin.db.execute(sql`select 1 from pg_database where datname = ${name}`)).length > 0;
  if (!exists) await admin.db.execute(sql.raw(`create database ${name}`));
  await admin.close();
  const target = new URL(url);
  target.pathname = `/${name}`;
  return { conn: await openPostgres(target.toString(), { max: 10, migrate: true }), env: { DATABASE_URL: target.toString() }, fresh: !exists };
}

async function seed(conn: Connection, fresh: boolean) {
  const [{ n }] = rowsOf<{ n: number }>(await conn.db.execute(sql`select count(*)::int as n from orders`));
  if (!fresh && n >= N + M) {
    console.log(`Reusing the seeded database (${n.toLocaleString("en-GB")} orders)`);
    return undefined;
  }
  const start = performance.now();
  let last = 0;
  await seedDemo(conn.db, {
    historyOrders: N,
    connections: conn.driver === "postgres" ? 2 : 1,
    step: (what) => console.log(`  ${what} (${((performance.now() - start) / 1000).toFixed(0)} s)`),
    progress: (done, total) => {
      if (done - last >= total / 10 || done === total) {
        console.log(`  history: ${done.toLocaleString("en-GB")}/${total.toLocaleString("en-GB")} (${((performance.now() - start) / 1000).toFixed(0)} s)`);
        last = done;
      }
    },
  });
  const history = performance.now() - start;
  const activeStart = performance.now();
  await seedActiveOrders(conn.db, M);
  const active = performance.now() - activeStart;
  console.log(`Seeded in ${((history + active) / 1000).toFixed(1)} s (history ${(history / 1000).toFixed(1)} s, ${M.toLocaleString("en-GB")} active ${(active / 1000).toFixed(1)} s)`);
  return { historyMs: history, activeMs: active };
}

/** The queue's rows written by hand: what listOrders' page costs without the count, the floor. */
function queueFloor(where: string, order: string, seek = "") {
  return sql.raw(`select o.id, o.store_id, s.name, o.product_summary, (o.fields->>'orderQuantity')::int, o.stage, o.state, o.stage_entered_at,
    o.stage_due_at, o.required_delivery_date from orders o join stores s on s.id = o.store_id
    where ${where} ${seek} order by ${order} limit ${PAGE_SIZE + 1}`);
}

async function measureDb(conn: Connection, all: Row[]) {
  // Each figure is shown as soon as it is measured: the whole run takes minutes.
  const rows = {
    push: (r: Row) => (
      all.push(r),
      console.log(
        `  ${r.group} · ${r.name}: p50 ${ms(r.p50)}, p95 ${ms(r.p95)}${r.floor === undefined ? "" : `, floor ${ms(r.floor)}`}${r.baseline === undefined ? "" : `, baseline ${ms(r.baseline)}`}${r.extra ? ` (${r.extra})` : ""}`,
      )
    ),
  };
  const db = conn.db;
  const as = (email: string) => demoActor(db, email);
  const [ops, dispatch, production, qc, south, admin] = await Promise.all(
    ["ops@example.com", "dispatch@example.com", "production@example.com", "qc@example.com", "store.south@example.com", "admin@example.com"].map(as),
  );
  const [deep] = rowsOf<{ due: string; id: number }>(
    await db.execute(sql`select (extract(epoch from stage_due_at) * 1000000)::bigint::text as due, id from orders
      where state in ('active', 'onHold') order by stage_due_at, id offset ${Math.floor(M * 0.6)} limit 1`),
  );
  const deepCursor = deep ? `${deep.due}.${deep.id}` : undefined;
  const southIds = south.storeIds.join(",");
  // The floors' stage lists come from the definition's permission table, as the queue's do, so a
  // stage added to the workflow is in both.
  const stagesOf = (actor: Actor) => `(${queueScope(actor).stages.map((k) => `'${k}'`).join(",")})`;
  const inspected = `'${inspectionStages(qc)[0]}'`;
  const cases: [string, Actor, Record<string, string>, string, string, string?][] = [
    ["ops queue, page 1", ops, {}, "o.state in ('active','onHold')", "o.stage_due_at, o.id"],
    ["ops queue, deep page (60 %)", ops, { after: deepCursor ?? "" }, "o.state in ('active','onHold')", "o.stage_due_at, o.id",
      deep ? `and (o.stage_due_at, o.id) > ('epoch'::timestamptz + interval '1 microsecond' * ${deep.due}, ${deep.id})` : ""],
    ["dispatch queue", dispatch, {}, `o.state = 'active' and o.stage in ${stagesOf(dispatch)}`, "o.stage_due_at, o.id"],
    ["production queue, overdue", production, { sla: "overdue" }, `o.state = 'active' and o.stage in ${stagesOf(production)} and o.stage_due_at <= now()`, "o.stage_due_at, o.id"],
    ["quality control queue", qc, {}, `o.state = 'active' and o.stage in ${stagesOf(qc)}`, "o.stage_due_at, o.id"],
    ["store manager queue", south, {}, `o.store_id in (${southIds}) and o.state in ('active','onHold') and ((o.state = 'active' and o.stage in ${stagesOf(south)}) or o.state = 'onHold')`, "o.stage_due_at, o.id"],
    ["ops, all orders (opens on open orders, newest)", ops, { view: "all" }, "o.state in ('active','onHold')", "o.id desc"],
    ["ops, all orders, any state, due latest", ops, { view: "all", state: "any", sort: "-due" }, "true", "o.stage_due_at desc, o.id desc"],
    ["ops, all orders, any state, newest", ops, { view: "all", state: "any", sort: "new" }, "true", "o.id desc"],
    ["ops, stage filter (in production)", ops, { stage: inspectionStages(qc)[0] }, `o.state in ('active','onHold') and o.stage = ${inspected}`, "o.stage_due_at, o.id"],
  ];
  const lastUpdate = "coalesce(o.fields_changed_at, o.stage_entered_at)";
  cases.push(["quality control, awaiting inspection", qc, { view: "inspect" },
    `o.state = 'active' and o.stage = ${inspected} and not exists (select 1 from inspections i where i.order_id = o.id and i.created_at >= ${lastUpdate})`, `${lastUpdate}, o.id`]);
  // The page's rows next to the same rows by hand (the floor); then the whole call with its
  // count (exact up to 1,000, else the planner's estimate), which the floor does not include.
  for (const [name, actor, query, where, order, seek] of cases) {
    const parsed = orderListSchema.parse(query);
    const [page, floor] = await timePair(() => listOrders(db, actor, parsed, new Date(), { count: false }), () => db.execute(queueFloor(where, order, seek ?? "")));
    rows.push({ group: "queue (query)", name, ...page, floor: floor.p50, target: "≤ 1.5× floor", extra: "rows" });
    rows.push({ group: "queue (query)", name: `${name}, with the count`, ...(await time(() => listOrders(db, actor, parsed))), target: "p95 < 50 ms at 100k", extra: "rows + count" });
  }

  // Search: one word, two words that stand together in the text, and a rare phrase; the floor
  // is the same rows by hand, read by substring over the specification.
  const searches: [string, Actor, Record<string, string>, string][] = [
    ["search, all orders: 'walnut'", dispatch, { view: "all", state: "any", q: "walnut" }, "(o.fields->>'productSpecifications') ilike '%walnut%'"],
    ["search, all orders: 'engraved brass'", dispatch, { view: "all", state: "any", q: "engraved brass" }, "(o.fields->>'productSpecifications') ilike '%engraved brass%'"],
    ["search, all orders: 'bulk order 4242:'", dispatch, { view: "all", state: "any", q: "bulk order 4242:" }, "(o.fields->>'productSpecifications') ilike '%bulk order 4242:%'"],
  ];
  for (const [name, actor, query, where] of searches) {
    const parsed = orderListSchema.parse(query);
    let found = 0;
    const [page, floor] = await timePair(
      async () => (found = (await listOrders(db, actor, parsed)).total),
      () => db.execute(queueFloor(where, "o.stage_due_at, o.id")),
    );
    rows.push({ group: "search (query)", name, ...page, floor: floor.p50, extra: `${found.toLocaleString("en-GB")} found, with the count` });
  }

  // The unread count on every page, for the account with the fullest inbox (dispatch).
  const [{ unread }] = rowsOf<{ unread: number }>(await db.execute(sql`select count(*)::int as unread from notifications where account_id = ${dispatch.id} and read_at is null`));
  const [count, countFloor] = await timePair(
    () => unreadCount(db, dispatch),
    () => db.execute(sql`select count(*) from (select 1 from notifications where account_id = ${dispatch.id} and read_at is null limit 100) n`),
  );
  rows.push({ group: "unread count (query)", name: "dispatch, every page", ...count, floor: countFloor.p50, extra: `${unread.toLocaleString("en-GB")} unread; floor: the first 100 by hand` });

  // The rules page's preview: every rule, how many active orders it would fire for now.
  const rules = await listRules(db);
  rows.push({ group: "rules page (query)", name: `preview of ${rules.length} rules`, ...(await time(() => rulePreviews(db, rules, new Date()), Math.min(runs, 7))) });
  rows.push({ group: "admin (query)", name: "stores with their order counts (/admin/users, /admin/stores)", ...(await time(() => listAllStores(db), Math.min(runs, 7))) });

  // My work (/work): each open order's next step worked out in SQL, sorted by it; the first 50 read in full.
  for (const [name, actor] of [["dispatch", dispatch], ["production", production], ["quality control", qc], ["store manager (South)", south]] as const) {
    rows.push({ group: "my work (query)", name, ...(await time(() => myWork(db, actor))), target: "p95 < 300 ms at 100k", extra: "50 rows + count" });
  }

  const boardQuery = boardSchema.parse({});
  rows.push({ group: "board (query)", name: "ops board, 6 columns × 20", ...(await time(() => boardColumns(db, ops, boardQuery))) });
  rows.push({ group: "KPI report", name: "work in progress now (ops)", ...(await time(() => workInProgress(db, ops, {}))) });
  const [{ id: someId }] = rowsOf<{ id: number }>(await db.execute(sql`select id from orders where state = 'active' order by id desc limit 1`));
  rows.push({ group: "order page (query)", name: `order ${someId}`, ...(await time(() => orderDetail(db, someId))) });
  rows.push({ group: "traveller (query)", name: `order ${someId}`, ...(await time(() => travellers(db, [someId]))) });
  // The queue's batch print at its cap: the first 100 of dispatch's queue, each read for its sheet.
  const batchQuery = orderListSchema.parse({});
  rows.push({
    group: "traveller (query)",
    name: `batch of ${TRAVELLER_BATCH}, dispatch's queue`,
    ...(await time(async () => travellers(db, await filteredOrderIds(db, dispatch, batchQuery, new Date(), TRAVELLER_BATCH)), Math.min(runs, 7))),
    extra: "ids + 3 statements",
  });

  const kpiCases: [string, Actor, Record<string, string>][] = [
    ["ops, 90 days", ops, { period: "90" }],
    ["ops, 30 days", ops, { period: "30" }],
    ["ops, 7 days", ops, { period: "7" }],
    ["store manager, 90 days", south, { period: "90" }],
  ];
  for (const [name, actor, query] of kpiCases) {
    const filter = parseKpiFilter(query).filter;
    const [fast, floor] = await timePair(() => kpiReport(db, actor, filter), () => kpiRollupRows(db, actor, filter));
    const exact = await time(() => exactKpiReport(db, actor, filter), Math.min(runs, 5));
    rows.push({ group: "KPI report", name, ...fast, floor: floor.p50, baseline: exact.p50, target: "< 100 ms (PG, 1M) · < 300 ms (PGlite, 100k); floor = the rollup rows read, baseline = exact SQL" });
  }
  // Planning with capacity (decision 027): the load per day from the rollup, next to its exact SQL
  // (every scheduled order spread over its working days) for the same 8 weeks; the capacity view,
  // the stage panel of an order being planned, and the queue filtered to a day's orders.
  await db.transaction(async (tx) => {
    await tx.execute(sql`delete from capacity_rates where true`);
    await tx.execute(sql`insert into capacity_rates (effective_from, units_per_day) values (current_date - 30, 2000)`);
  });
  const from = todayIso();
  const to = new Date(Date.now() + 55 * 86_400_000).toISOString().slice(0, 10);
  const [rollup, exactLoad] = await timePair(
    () => loadBetween(db, from, to),
    () => db.execute(sql`select * from (${exactCapacityLoad}) l where day between ${from}::date and ${to}::date`),
    Math.min(runs, 5),
  );
  rows.push({ group: "capacity", name: "load per day, 8 weeks", ...rollup, baseline: exactLoad.p50, target: "< 100 ms (PG, 1M); baseline = exact SQL" });
  rows.push({ group: "capacity", name: "capacity view (8 weeks)", ...(await time(() => capacityWeeks(db, new Date()))) });
  const [planned] = await db.select().from(orders).where(sql`state = 'active' and stage = ${stageOfField("productionSchedule")} and fields ? 'productionSchedule'`).limit(1);
  if (planned) rows.push({ group: "capacity", name: "stage panel and earliest fit (one order)", ...(await time(() => capacityAround(db, planned, new Date()))) });
  const plannedDay = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
  rows.push({ group: "queue (query)", name: `all orders planned on a day (dispatch)`, ...(await time(() => listOrders(db, dispatch, orderListSchema.parse({ view: "all", plannedOn: plannedDay })))), extra: "rows + capped count" });
  // Quality by reason (decision 029): each new figure from the rollups next to its exact SQL.
  for (const [name, actor] of [["ops", ops], ["store manager", south]] as const) {
    const filter = parseKpiFilter({ period: "90" }).filter;
    const target = "< 100 ms (PG, 1M); baseline = exact SQL";
    const delivery = await time(() => deliveryFigures(db, actor, filter));
    rows.push({ group: "quality by reason", name: `first-pass yield, reworks, received damaged (${name}, 90 days)`, ...delivery, baseline: (await time(() => exactDeliveryFigures(db, actor, filter), Math.min(runs, 5))).p50, target, extra: "with production time, on time, satisfaction" });
    const reasons = await time(() => failReasonFigures(db, actor, filter));
    rows.push({ group: "quality by reason", name: `fail reasons Pareto (${name}, 90 days)`, ...reasons, baseline: (await time(() => exactFailReasonFigures(db, actor, filter), Math.min(runs, 5))).p50, target });
    const weeks = await time(() => onTimeWeeks(db, actor, filter));
    rows.push({ group: "quality by reason", name: `weekly trends of the delivery figures (${name}, 90 days)`, ...weeks, baseline: (await time(() => exactOnTimeWeeks(db, actor, filter), Math.min(runs, 5))).p50, target });
  }
  const kpi90 = parseKpiFilter({ period: "90" }).filter;
  const [finish] = rowsOf<{ id: number }>(await db.execute(sql`select id from fail_reasons where label = 'Finish'`));
  if (finish) {
    const failedList = orderListSchema.parse({ view: "all", state: "any", failReason: String(finish.id), failedFrom: kpi90.from, failedTo: kpi90.to });
    rows.push({ group: "order list (query)", name: "a Pareto bar's orders: failed for finish, 90 days (ops)", ...(await time(() => listOrders(db, ops, failedList))), extra: "25 rows + capped count" });
  }
  rows.push({ group: "admin (query)", name: "fail reasons (/admin/fail-reasons)", ...(await time(() => listFailReasons(db), Math.min(runs, 7))) });

  // The target is about 100k rows: every order at 100k falls in the last 90 days; at 1M, a week
  // holds about as many.
  const csvDays = N > 200_000 ? "7" : "90";
  const filter = parseKpiFilter({ period: csvDays }).filter;
  let lines = 0;
  // PostgreSQL writes the CSV (COPY), read into memory as a direct export is; beside it, the
  // same rows read by SELECT and written here, cell by cell, as the export did before.
  const [csv, bySelect] = await timePair(
    async () => {
      lines = (await kpiCsvText(db, ops, filter)).split("\n").length - 2;
    },
    async () => {
      for await (const chunk of kpiCsvBySelect(db, ops, filter)) void chunk;
    },
    2,
  );
  rows.push({ group: "CSV export", name: `ops, ${csvDays} days, COPY`, ...csv, target: "100k rows < 2 s", extra: `${lines.toLocaleString("en-GB")} rows` });
  rows.push({ group: "CSV export", name: `ops, ${csvDays} days, SELECT and format here (as before COPY)`, ...bySelect, extra: `${lines.toLocaleString("en-GB")} rows` });
  // The same as a background job: COPY into a file here, the file to the store (a temporary folder).
  const filesDir = mkdtempSync(path.join(tmpdir(), "makeline-bench-files-"));
  const folder = new LocalFolderStore(filesDir);
  try {
    const job = await time(async () => {
      const [made] = await db
        .insert(exportJobs)
        .values({ accountId: ops.id, kind: "background", filter: { period: "custom", from: filter.from, to: filter.to }, filename: "bench.csv", status: "queued" })
        .returning({ id: exportJobs.id });
      const status = await runExportJob(db, made.id, { store: folder });
      if (status !== "done") throw new Error(`bench export job: ${status}`);
    }, 2);
    rows.push({ group: "CSV export", name: `ops, ${csvDays} days, background job (COPY to a file, to the store)`, ...job, extra: `${lines.toLocaleString("en-GB")} rows` });
  } finally {
    await db.execute(sql`delete from export_jobs where filename = 'bench.csv'`);
    rmSync(filesDir, { recursive: true, force: true });
  }

  return { ops, dispatch, admin, deepCursor, someId };
}

/**
 * The KPI page's floor: the rollup rows it reads, fetched as they are (no sums, no percentiles):
 * the period's daily and per-stage rows, its whole weeks' histograms and its edge days' ones.
 */
function kpiRollupRows(db: Connection["db"], actor: Actor, filter: KpiFilter) {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const scope = seesAllStores(actor) ? "" : `and store_id in (${actor.storeIds.join(",") || "null"})`;
  const period = `day >= '${day(filter.start)}' and day < '${day(filter.end)}' ${scope}`;
  const weeks = wholeWeeks(filter);
  const histograms = weeks
    ? `select metric, bucket, n, lo, hi from kpi_durations_weekly where week >= '${weeks.from}' and week < '${weeks.to}' ${scope}
       union all select metric, bucket, n, lo, hi from kpi_durations
       where ((day >= '${day(filter.start)}' and day < '${weeks.from}') or (day >= '${weeks.to}' and day < '${day(filter.end)}')) ${scope}`
    : `select metric, bucket, n, lo, hi from kpi_durations where ${period}`;
  return Promise.all(
    [`select * from kpi_daily where ${period}`, `select * from kpi_stage_daily where ${period}`, `select * from kpi_fail_reasons_daily where ${period}`, histograms].map((q) => db.execute(sql.raw(q))),
  );
}

// --- Automation ---------------------------------------------------------------------------------

/**
 * The automation pass as cron runs it, its evaluation and its delivery timed apart, with email
 * going over HTTP to a fake Resend on 127.0.0.1 that answers in 15–20 ms and, like Resend, limits
 * requests a second (429 with Retry-After: 1). The pass's own emails are grouped (one per
 * recipient), so throughput is measured on a queue of single emails as well: 1,000
 * bench accounts with three notifications each (kept, deactivated, for the next run). `--reset-automation` first deletes
 * what earlier passes fired, so the first pass over the active orders can be measured again.
 */
async function measureAutomation(conn: Connection, rows: Row[]) {
  const db = conn.db;
  const perSecond = Number(values["resend-per-second"]);
  const fake = await startFakeResend({ latencyMs: [15, 20], perSecond });
  // Paced at the fake's limit, as an operator sets RESEND_RATE_PER_SECOND to their Resend limit.
  const mailer = resendMailer({ apiKey: "re_bench", baseUrl: fake.url, from: "Makeline <alerts@makeline.local>", ratePerSecond: perSecond || Number.POSITIVE_INFINITY });
  const show = (r: Row) => (rows.push(r), console.log(`  ${r.group} · ${r.name}: ${ms(r.p50)}${r.extra ? ` (${r.extra})` : ""}`));
  try {
    if (values["reset-automation"]) {
      const start = performance.now();
      await db.execute(sql`delete from rule_firings`);
      await db.execute(sql`delete from email_digests`);
      await db.execute(sql`delete from notifications`);
      await db.execute(sql`vacuum analyze rule_firings, notifications, email_digests`);
      console.log(`  (deleted earlier firings and notifications in ${ms(performance.now() - start)})`);
    }
    // Calendars on: the shop and every store keep working hours and holidays. Due and risk times
    // are computed when written (lib/workflow/clock.ts), so the pass only compares stored instants.
    const week = JSON.stringify([null, ...Array.from({ length: 5 }, () => ({ open: "08:00", close: "17:00" })), null]);
    const holidays = JSON.stringify(["2026-12-24", "2026-12-25", "2026-12-26", "2027-01-01"]);
    await db.execute(sql`insert into work_calendars (store_id, week, holidays)
      select null::int, ${week}::jsonb, ${holidays}::jsonb union all select id, ${week}::jsonb, ${holidays}::jsonb from stores
      on conflict do nothing`);
    const [{ active }] = rowsOf<{ active: number }>(await db.execute(sql`select count(*)::int as active from orders where state = 'active'`));
    const evalStart = performance.now();
    const evaluated = await evaluateTimeRulesPass(db, new Date());
    const evalMs = performance.now() - evalStart;
    show({ group: "automation pass", name: `evaluation, ${active.toLocaleString("en-GB")} active, calendars on`, p50: evalMs, p95: evalMs, target: "< 2 s", extra: `${evaluated.fired.toLocaleString("en-GB")} fired, ${evaluated.notified.toLocaleString("en-GB")} notifications` });
    const sendStart = performance.now();
    const pass = await deliverPendingEmails(db, { mailer, budgetMs: 60_000 });
    const sendMs = performance.now() - sendStart;
    show({ group: "automation pass", name: "delivery of the pass's emails", p50: sendMs, p95: sendMs, extra: `${pass.sent} emails (${pass.grouped} grouped), ${pass.rateLimited} × 429` });
    const steady = await time(() => evaluateTimeRulesPass(db, new Date()), 3);
    show({ group: "automation pass", name: "evaluation, steady state (nothing new)", ...steady, target: "< 2 s" });
    // The issue's case: 7,000 orders newly due among the active ones (their firings removed).
    await db.execute(sql`delete from rule_firings where order_id in (select id from orders where state = 'active' and stage_due_at <= now() order by id limit 7000)`);
    const newStart = performance.now();
    const fresh = await evaluateTimeRulesPass(db, new Date());
    const newMs = performance.now() - newStart;
    show({ group: "automation pass", name: "evaluation, 7,000 orders newly due", p50: newMs, p95: newMs, target: "< 2 s", extra: `${fresh.fired.toLocaleString("en-GB")} fired, ${fresh.notified.toLocaleString("en-GB")} notifications` });
    const sendAgain = performance.now();
    const pass2 = await deliverPendingEmails(db, { mailer, budgetMs: 60_000 });
    const sendAgainMs = performance.now() - sendAgain;
    show({ group: "automation pass", name: "delivery, 7,000 orders newly due", p50: sendAgainMs, p95: sendAgainMs, extra: `${pass2.sent} emails (${pass2.grouped} grouped)` });

    // Throughput: single emails, three to each of 1,000 accounts (grouping starts above three).
    // Made once and kept, deactivated, between runs: deleting an account checks every table that
    // refers to accounts, and at 1M orders that is minutes per thousand accounts.
    await db.execute(sql`insert into accounts (email, name, password_hash, roles, active)
      select 'bench-mail-' || i || '@example.com', 'Bench ' || i, 'x', array['productionTeam'], false from generate_series(1, 1000) i
      where not exists (select 1 from accounts where email = 'bench-mail-' || i || '@example.com')`);
    const people = rowsOf<{ id: number }>(await db.execute(sql`update accounts set active = true where email like 'bench-mail-%' returning id`));
    try {
      await db.execute(sql`insert into notifications (account_id, order_id, message, priority, email_next_attempt_at)
        select a.id, (select min(id) from orders where state = 'active'), 'Bench email ' || k, 'normal', now() - interval '1 minute'
        from accounts a, generate_series(1, 3) k where a.email like 'bench-mail-%'`);
      fake.reset();
      const start = performance.now();
      const d = await deliverPendingEmails(db, { mailer, budgetMs: 60_000 });
      const took = performance.now() - start;
      const rate = d.sent / (took / 1000);
      show({
        group: "automation pass",
        name: `email throughput, ${(people.length * 3).toLocaleString("en-GB")} single emails`,
        p50: took,
        p95: took,
        target: "≥ 100 emails/s",
        extra: `${rate.toFixed(0)} emails/s; 429 seen ${d.rateLimited}, waited out ${d.rateLimitWaits}; ${fake.delivered()} delivered, ${fake.stats.duplicates} repeated keys`,
      });
      console.log(
        `  automation: evaluation ${ms(evalMs)}, fired ${evaluated.fired}, pass emails ${pass.sent}; throughput ${d.sent} emails in ${ms(took)} = ${rate.toFixed(0)} emails/s ` +
          `(fake Resend 15–20 ms${perSecond ? `, ${perSecond}/s limit` : ""}; 429s seen ${d.rateLimited}, honoured ${d.rateLimitWaits}); load ${loadavg().map((l) => l.toFixed(1)).join(" ")}`,
      );
    } finally {
      await db.execute(sql`delete from notifications where account_id in (select id from accounts where email like 'bench-mail-%')`);
      await db.execute(sql`update accounts set active = false where email like 'bench-mail-%'`);
    }
  } finally {
    await fake.close();
  }
}

// --- HTTP ---------------------------------------------------------------------------------------

type HttpCase = { name: string; path: string; as: string; cookie: string };

async function measureHttp(base: string, pid: number, cases: HttpCase[]) {
  const out: Http[] = [];
  const inChromium = await chromiumJs(base, cases);
  for (const [i, { name, path: p, as, cookie }] of cases.entries()) {
    const page = await fetch(base + p, { headers: { cookie }, redirect: "manual" });
    const html = await page.text();
    if (page.status !== 200) throw new Error(`${p}: HTTP ${page.status}`);
    const js = await jsBytes(base, html, cookie);
    const cpuBefore = cpuMs(pid);
    const r = await autocannon({ url: base + p, connections: 10, duration: seconds, headers: { cookie } });
    const cpu = cpuMs(pid) - cpuBefore;
    const lat = r.latency;
    const requests = r.requests.total;
    const row: Http = {
      name,
      path: p,
      as,
      p50: lat.p50,
      p90: lat.p90,
      p97_5: lat.p97_5,
      p99: lat.p99,
      rps: r.requests.average,
      requests,
      cpuMsPerRequest: requests ? cpu / requests : 0,
      non2xx: r.non2xx,
      htmlKb: Buffer.byteLength(html) / 1024,
      jsGzipKb: js.gzipKb,
      chromiumJsKb: inChromium[i],
      nomoduleGzipKb: js.nomoduleGzipKb,
      scripts: js.scripts,
    };
    out.push(row);
    console.log(
      `  http · ${name} (as ${as}): p50 ${lat.p50} ms, p90 ${lat.p90} ms, p97.5 ${lat.p97_5} ms, ${r.requests.average} req/s, ` +
        `${row.cpuMsPerRequest.toFixed(1)} ms server CPU a request, ${r.non2xx} non-2xx, HTML ${row.htmlKb.toFixed(0)} kB, JS ${js.gzipKb.toFixed(0)} kB gzip (${inChromium[i]?.toFixed(0) ?? "?"} kB in Chromium); load ${loadavg()[0].toFixed(1)}`,
    );
  }
  return out;
}

/**
 * The pages are read as dispatch with a full inbox: when the active orders have not been through
 * the automation pass (fewer alerts than a tenth of them), one pass makes their alerts (no email is sent).
 */
async function fillInboxes(conn: Connection) {
  const [{ n }] = rowsOf<{ n: number }>(await conn.db.execute(sql`select count(*)::int as n from notifications`));
  if (n >= M / 10) return;
  const start = performance.now();
  const done = await evaluateTimeRulesPass(conn.db, new Date());
  console.log(`  (filled the inboxes: one automation pass, ${done.notified.toLocaleString("en-GB")} alerts, in ${ms(performance.now() - start)})`);
}

// --- Run ----------------------------------------------------------------------------------------

const drivers: ("pglite" | "server")[] = [];
if (values.only !== "server") drivers.push("pglite");
if (process.env.DATABASE_URL && values.only !== "pglite") drivers.push("server");

console.log(`# Makeline benchmark (${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join(" ")}): ${N.toLocaleString("en-GB")} history orders, ${M.toLocaleString("en-GB")} active`);
for (const driver of drivers) {
  console.log(`\n## ${driver}\n`);
  const { conn, env, fresh } = await open(driver);
  const rows: Row[] = [];
  const entry: (typeof results)[number] = { driver, rows };
  results.push(entry);
  let ctx: Awaited<ReturnType<typeof measureDb>>;
  const cookies: Record<"dispatch" | "ops" | "admin", string> = { dispatch: "", ops: "", admin: "" };
  const secret = randomBytes(32).toString("base64");
  try {
    entry.seed = await seed(conn, fresh);
    if (!values["only-automation"]) {
      await fillInboxes(conn);
      ctx = await measureDb(conn, rows);
      for (const [who, actor] of [["dispatch", ctx.dispatch], ["ops", ctx.ops], ["admin", ctx.admin]] as const) cookies[who] = await sessionCookie(actor, secret, conn);
      // The API and webhooks (bench/api.ts): list, read and create next to the page's own, webhook throughput.
      if (!values["no-api"]) await measureApi(conn, rows, { runs });
    }
  } finally {
    await conn.close();
  }
  if (!values["no-http"] && !values["only-automation"]) await http();
  // Last, as it writes firings and notifications: the automation pass, against a fake Resend over HTTP.
  const again = values["no-automation"] ? null : (await open(driver)).conn;
  if (again) try {
    await measureAutomation(again, rows);
  } finally {
    await again.close();
  }
  async function http() {
    entry.jsFloor = await jsFloor();
    console.log(`  http · JS floor (hello-world page, same Next): ${entry.jsFloor.tags.toFixed(0)} kB gzip from its script tags, ${entry.jsFloor.chromium?.toFixed(0) ?? "?"} kB in Chromium`);
    const { child, base } = await startServer(env, secret);
    const as = (who: keyof typeof cookies) => ({ as: who, cookie: cookies[who] });
    try {
      entry.http = await measureHttp(base, child.pid!, [
        { name: "/orders (queue)", path: "/orders", ...as("dispatch") },
        { name: "/orders deep page", path: ctx.deepCursor ? `/orders?after=${ctx.deepCursor}&page=2401` : "/orders", ...as("dispatch") },
        { name: "/orders?view=all&sort=new", path: "/orders?view=all&sort=new", ...as("dispatch") },
        { name: "/orders search ('walnut')", path: "/orders?view=all&q=walnut", ...as("dispatch") },
        { name: "/orders/[id]", path: `/orders/${ctx.someId}`, ...as("dispatch") },
        { name: "/orders/[id]/traveller", path: `/orders/${ctx.someId}/traveller`, ...as("dispatch") },
        { name: "/board", path: "/board", ...as("dispatch") },
        { name: "/inbox", path: "/inbox", ...as("dispatch") },
        { name: "/capacity (8 weeks)", path: "/capacity", ...as("dispatch") },
        { name: "/kpi (90 days)", path: "/kpi?period=90", ...as("ops") },
        { name: "/kpi/exports (90 days offered)", path: "/kpi/exports?period=90", ...as("ops") },
        { name: "/admin/rules", path: "/admin/rules", ...as("admin") },
        { name: "/admin/users", path: "/admin/users", ...as("admin") },
      ]);
      if (values.lighthouse) {
        entry.lighthouse = await measureLighthouse(base, cookies.ops, [
          ["/orders", "/orders"],
          ["/orders/[id]", `/orders/${ctx.someId}`],
          ["/board", "/board"],
          ["/kpi", "/kpi"],
        ], Number(values["lighthouse-runs"]));
      }
    } finally {
      await stopServer(child);
    }
  }

  const table = [
    "| group | case | p50 | p95 | floor (p50) | ratio | baseline (p50) | note |",
    "|---|---|---:|---:|---:|---:|---:|---|",
    ...rows.map(
      (r) =>
        `| ${r.group} | ${r.name} | ${ms(r.p50)} | ${ms(r.p95)} | ${r.floor === undefined ? "" : ms(r.floor)} | ${r.floor ? `${(r.p50 / r.floor).toFixed(2)}×` : ""} | ${r.baseline === undefined ? "" : ms(r.baseline)} | ${r.extra ?? ""} |`,
    ),
  ];
  if (entry.http) {
    const floor = entry.jsFloor ?? { tags: 0, chromium: null };
    const over = (kb: number | null, base: number | null) => (kb === null || base === null ? "" : `${kb.toFixed(0)} kB (+${(kb - base).toFixed(0)})`);
    table.push(
      "",
      `| page (HTTP, 10 connections) | as | p50 | p90 | p97.5 | req/s | server CPU / request | HTML | JS of its script tags (floor ${floor.tags.toFixed(0)} kB) | JS in Chromium (floor ${floor.chromium?.toFixed(0) ?? "?"} kB) | nomodule JS (not loaded) |`,
      "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    );
    for (const h of entry.http) {
      table.push(
        `| ${h.name} | ${h.as} | ${h.p50} ms | ${h.p90} ms | ${h.p97_5} ms | ${h.rps.toFixed(1)} | ${h.cpuMsPerRequest.toFixed(1)} ms | ${h.htmlKb.toFixed(0)} kB | ${over(h.jsGzipKb, floor.tags)} | ${over(h.chromiumJsKb, floor.chromium)} | ${h.nomoduleGzipKb.toFixed(0)} kB |`,
      );
    }
  }
  if (entry.lighthouse) {
    table.push("", "| page (Lighthouse 12, mobile) | score | LCP | TBT | FCP | CLS | runs |", "|---|---:|---:|---:|---:|---:|---|");
    for (const l of entry.lighthouse) {
      table.push(`| ${l.name} | ${l.score} | ${ms(l.lcpMs)} | ${ms(l.tbtMs)} | ${ms(l.fcpMs)} | ${l.cls.toFixed(3)} | ${l.scores.join(", ")} |`);
    }
  }
  console.log(table.join("\n"));
}

const out = { at: new Date().toISOString(), orders: N, active: M, cores: cpus().length, load: loadavg(), node: process.version, results };
writeFileSync(path.join("bench", "results.json"), JSON.stringify(out, null, 2));
console.log(`\nWrote bench/results.json. Load when finished: ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
