import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { type Connection, openPglite, openPostgres } from "@/db/client";
import { demoActor, seedDemo } from "@/lib/demo/seed";
import { kpiCsv } from "@/lib/kpi/export";
import { type KpiFilter, parseKpiFilter } from "@/lib/kpi/filters";
import { deliveryFigures, kpiReport, onTimeWeeks, qualityRows, stageFigures, workInProgress } from "@/lib/kpi/queries";
import type { Actor } from "@/lib/workflow";

/**
 * `npm run bench [-- --orders 100000 --runs 7 --only pglite|server]`: seeds a fresh database
 * with the demo plus N history orders (PGlite in a temp folder; and a throwaway database on the
 * server when DATABASE_URL is set), then times each KPI query and the whole page's report, the
 * median of several runs after a warm-up, against a 500 ms budget. Numbers go to
 * docs/performance.md by hand, with the machine they came from.
 */

const BUDGET_MS = 500;

const { values } = parseArgs({
  options: { orders: { type: "string", default: "100000" }, runs: { type: "string", default: "7" }, only: { type: "string" } },
});
const orderCount = Number(values.orders);
const runs = Number(values.runs);
if (!Number.isInteger(orderCount) || orderCount < 0 || !Number.isInteger(runs) || runs < 1) {
  console.error("Usage: npm run bench -- [--orders 100000] [--runs 7] [--only pglite|server]");
  process.exit(2);
}
process.env.MAKELINE_AUTOMATIONS_EVERY = "0";

type Target = { name: string; open: () => Promise<Connection & { cleanup: () => Promise<void> }> };

const targets: Target[] = [];
if (values.only !== "server") {
  targets.push({
    name: "PGlite (embedded, temp folder)",
    open: async () => {
      const dir = mkdtempSync(path.join(tmpdir(), "makeline-bench-"));
      const conn = await openPglite(path.join(dir, "pglite"));
      return { ...conn, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  });
}
if (process.env.DATABASE_URL && values.only !== "pglite") {
  const url = process.env.DATABASE_URL;
  targets.push({
    name: `PostgreSQL server (${new URL(url).host})`,
    open: async () => {
      const name = `makeline_bench_${randomBytes(4).toString("hex")}`;
      const admin = await openPostgres(url, { max: 1 });
      await admin.db.execute(`create database ${name}`);
      await admin.close();
      const target = new URL(url);
      target.pathname = `/${name}`;
      const conn = await openPostgres(target.toString(), { max: 10, migrate: true });
      return {
        ...conn,
        cleanup: async () => {
          const again = await openPostgres(url, { max: 1 });
          await again.db.execute(`drop database if exists ${name} with (force)`);
          await again.close();
        },
      };
    },
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function time(fn: () => Promise<unknown>, times = runs) {
  await fn(); // warm-up: plans, caches
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

const ms = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)} ms`;

async function bench(target: Target) {
  console.log(`\n## ${target.name}: ${orderCount.toLocaleString("en-GB")} history orders, median of ${runs} runs\n`);
  const conn = await target.open();
  try {
    const seedStart = performance.now();
    let historyStart = seedStart;
    let historyEnd = seedStart;
    let last = 0;
    await seedDemo(conn.db, {
      historyOrders: orderCount,
      progress: (done, total) => {
        if (done === 0) historyStart = performance.now();
        if (done === total) historyEnd = performance.now();
        if (process.stdout.isTTY) process.stdout.write(`\r  seeding: ${done}/${total}`);
        else if (done - last >= total / 10 || done === total) {
          console.log(`  seeding: ${done}/${total} (${((performance.now() - historyStart) / 1000).toFixed(0)} s)`);
          last = done;
        }
      },
    });
    const seedMs = performance.now() - seedStart;
    const historyMs = historyEnd - historyStart;
    if (process.stdout.isTTY) process.stdout.write("\n");
    console.log(
      `Seeded in ${(seedMs / 1000).toFixed(1)} s; the history alone ${(historyMs / 1000).toFixed(1)} s ` +
        `(${((historyMs / Math.max(1, orderCount)) * 1000).toFixed(0)} µs per order with its stage entries, inspections and history events; vacuum and the demo's accounts and live orders are the rest)\n`,
    );

    const ops = await demoActor(conn.db, "ops@example.com");
    const south = await demoActor(conn.db, "store.south@example.com");
    const cases: { label: string; actor: Actor; filter: KpiFilter }[] = [
      { label: "ops, 90 days (all history)", actor: ops, filter: parseKpiFilter({ period: "90" }).filter },
      { label: "ops, 30 days", actor: ops, filter: parseKpiFilter({ period: "30" }).filter },
      { label: "ops, 7 days", actor: ops, filter: parseKpiFilter({ period: "7" }).filter },
      { label: "store manager (South), 90 days", actor: south, filter: parseKpiFilter({ period: "90" }).filter },
    ];
    const queries = {
      "delivery figures": deliveryFigures,
      "quality (weekly + total)": qualityRows,
      "stage times": stageFigures,
      "WIP / overdue now": workInProgress,
      "on-time by week": onTimeWeeks,
    } as const;

    const header = `| Query | ${cases.map((c) => c.label).join(" | ")} |`;
    const lines = [header, `|---|${cases.map(() => "---:").join("|")}|`];
    for (const [name, fn] of Object.entries(queries)) {
      const cells: string[] = [];
      for (const c of cases) cells.push(ms(await time(() => fn(conn.db, c.actor, c.filter))));
      lines.push(`| ${name} | ${cells.join(" | ")} |`);
    }
    const reports: string[] = [];
    for (const c of cases) {
      const page = await time(() => kpiReport(conn.db, c.actor, c.filter));
      reports.push(`**${ms(page)}** (${((page / BUDGET_MS) * 100).toFixed(0)} % of ${BUDGET_MS} ms)`);
    }
    lines.push(`| **whole page** (kpiReport, queries in parallel) | ${reports.join(" | ")} |`);
    const csv: string[] = [];
    for (const c of cases) {
      let rows = -1;
      const t = await time(async () => {
        rows = -1;
        for await (const chunk of kpiCsv(conn.db, c.actor, c.filter)) rows += chunk.split("\r\n").length - 1;
      }, Math.min(runs, 3));
      csv.push(`${ms(t)} (${rows.toLocaleString("en-GB")} rows)`);
    }
    lines.push(`| CSV export (median of ${Math.min(runs, 3)}) | ${csv.join(" | ")} |`);
    console.log(lines.join("\n"));

    const r = await kpiReport(conn.db, ops, cases[0].filter);
    console.log(
      `\nFigures (ops, 90 days): production ${r.productionTime.value?.toFixed(2)} d (median ${r.productionTime.median?.toFixed(2)}, p90 ${r.productionTime.p90?.toFixed(2)}) · ` +
        `on time ${((r.onTime.value ?? 0) * 100).toFixed(1)} % · quality ${((r.quality.value ?? 0) * 100).toFixed(1)} % (${r.quality.reworks} reworks) · ` +
        `satisfaction ${r.satisfaction.value?.toFixed(2)} · bottleneck ${r.stageTimes.bottleneck} · ${r.completed.toLocaleString("en-GB")} completed`,
    );
  } finally {
    await conn.close();
    await conn.cleanup();
  }
}

console.log(`# KPI benchmark (${new Date().toISOString()}, Node ${process.version})`);
for (const target of targets) await bench(target);
console.log(`\nMachine load when finished: ${(await import("node:os")).loadavg().map((l) => l.toFixed(1)).join(" ")} (1/5/15 min)`);
