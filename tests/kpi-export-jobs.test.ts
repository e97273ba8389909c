import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { eq, sql } from "drizzle-orm";
import { type Connection, type Db, rowsOf } from "@/db/client";
import { exportJobs, orders, stores } from "@/db/schema";
import { exportKpis } from "@/app/(app)/kpi/export/handler";
import { demoActor, seedDemo } from "@/lib/demo/seed";
import { countKpiCsvRows, kpiCsv, kpiCsvBySelect, kpiCsvText } from "@/lib/kpi/export";
import { removeExpiredExports, runExportJob, runStaleExportJobs, serveExportFile, startKpiExport } from "@/lib/kpi/export-jobs";
import { parseKpiFilter } from "@/lib/kpi/filters";
import { type FileStore, setFileStore } from "@/lib/storage";
import type { Actor } from "@/lib/workflow";
import { onServer, testDatabase } from "./database";
import { testLocalStore, testS3Store } from "./storage";

/**
 * KPI exports at scale (issue #19): PostgreSQL writes the CSV (COPY); a small export is made at
 * once and the connection is free before the download starts; a large one is a background job
 * whose file goes to the file store (the local folder, and S3-compatible storage on s3rver) and
 * is offered to the account that asked, with progress; each account has a limit an hour.
 */

const DIRECT_ROWS = 200;
const PER_HOUR = 6;
let conn: Connection;
let ops: Actor;
let south: Actor;
let admin: Actor;
const local = testLocalStore();

beforeAll(async () => {
  // Read when the app first reads its environment.
  vi.stubEnv("MAKELINE_EXPORT_DIRECT_ROWS", String(DIRECT_ROWS));
  vi.stubEnv("MAKELINE_EXPORTS_PER_HOUR", String(PER_HOUR));
  conn = await testDatabase();
  await seedDemo(conn.db, { historyOrders: 1500 });
  [ops, south, admin] = await Promise.all([demoActor(conn.db, "ops@example.com"), demoActor(conn.db, "store.south@example.com"), demoActor(conn.db, "admin@example.com")]);
});
afterAll(async () => {
  await conn?.close();
  local.remove();
  vi.unstubAllEnvs();
});

const get = (actor: Actor | null, query: string, db: Db = conn.db) => exportKpis(actor, new Request(`http://localhost/kpi/export?${query}`), db);
const clearLimit = () => conn.db.delete(exportJobs).where(sql`true`);

test("cells as a spreadsheet reads them: order numbers, labels, yes and no, formulas guarded, commas and quotes quoted", async () => {
  const [north] = await conn.db.select().from(stores).where(eq(stores.code, "north"));
  const received = new Date(Date.now() - 2 * 86400_000);
  const made = await conn.db
    .insert(orders)
    .values(
      ['=HYPERLINK("http://evil")', 'Oak table, 2 m, "rustic"', "@SUM(A1)", ""].map((product) => ({
        storeId: north.id,
        stage: "storeReceived" as const,
        state: "completed" as const,
        stageEnteredAt: received,
        stageDueAt: received,
        submittedAt: new Date(received.getTime() - 4.5 * 86400_000),
        receivedAt: received,
        requiredDeliveryDate: received.toISOString().slice(0, 10),
        fields: {},
        productSummary: product,
      })),
    )
    .returning({ id: orders.id });
  const text = await kpiCsvText(conn.db, ops, parseKpiFilter({ period: "7" }).filter);
  const lines = text.split("\n");
  expect(lines[0]).toBe(
    "Order,Store,Product,State,Submitted (UTC),Received (UTC),Required delivery date,Production days,On time,Customer rating,First inspection (UTC),First inspection result,Failed inspections,Store Order (hours),Receiving by Dispatch (hours),In Production (hours),Dispatching (hours),Store Received (hours),In delivery figures,In quality figure",
  );
  const line = (id: number) => lines.find((l) => l.startsWith(`MO-${String(id).padStart(5, "0")},`))!;
  // The product's cell, between the store and the state.
  expect(line(made[0].id)).toContain(`,"'=HYPERLINK(""http://evil"")",Completed,`);
  expect(line(made[1].id)).toContain(`,"Oak table, 2 m, ""rustic""",Completed,`);
  expect(line(made[2].id)).toContain(",'@SUM(A1),Completed,");
  expect(line(made[3].id)).toMatch(/^MO-\d{5},North,,Completed,/);
  // 4.5 days in production, received on its required date (on time), in the delivery figures.
  expect(line(made[0].id)).toMatch(/,4\.5,yes,,,,0,(,){5}yes,no$/);
  expect(text.endsWith("\n")).toBe(true);
});

test("COPY writes the same bytes as the same rows read by SELECT (the way a transaction on a server, where COPY cannot run, reads them)", async () => {
  const filter = parseKpiFilter({ period: "90" }).filter;
  const copied = await kpiCsvText(conn.db, ops, filter);
  let selected = "";
  for await (const chunk of kpiCsvBySelect(conn.db, ops, filter)) selected += chunk;
  expect(copied.split("\n").length).toBeGreaterThan(DIRECT_ROWS);
  expect(selected).toBe(copied);
  if (onServer()) {
    let inTransaction = "";
    await conn.db.transaction(async (tx) => {
      for await (const chunk of kpiCsv(tx as unknown as Db, ops, filter)) inTransaction += chunk;
    });
    expect(inTransaction).toBe(copied);
  }
});

describe("direct exports", () => {
  test("up to the bound: the CSV at once, counted for the limit; the connection is free before the download starts", async () => {
    await clearLimit();
    const week = parseKpiFilter({ period: "7" }).filter;
    const rows = await countKpiCsvRows(conn.db, ops, week);
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThanOrEqual(DIRECT_ROWS);
    const response = await get(ops, "period=7");
    expect(response.status).toBe(200);
    if (onServer()) {
      const busy = rowsOf<{ n: number }>(await conn.db.execute(sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and (state like 'idle in transaction%' or query ilike 'copy %')`));
      expect(busy[0].n).toBe(0);
    }
    const text = await response.text();
    expect(text.trimEnd().split("\n")).toHaveLength(rows + 1);
    expect(await conn.db.select({ kind: exportJobs.kind, status: exportJobs.status, rows: exportJobs.rowsTotal }).from(exportJobs)).toEqual([{ kind: "direct", status: "done", rows }]);
  });

  test(`past ${PER_HOUR} exports an hour an account is told when it may export again (429, Retry-After); others are not`, async () => {
    await clearLimit();
    for (let i = 0; i < PER_HOUR; i++) expect((await get(ops, "period=7")).status).toBe(200);
    const refused = await get(ops, "period=7");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(3000);
    expect(await refused.text()).toMatch(/You have exported 6 times in the last hour: try again in \d+ minutes/);
    expect((await get(admin, "period=7")).status).toBe(200);
    expect(await startKpiExport({ db: conn.db, actor: ops }, { period: "90" })).toMatchObject({ ok: false, formError: expect.stringMatching(/exported 6 times/) });
  });
});

describe.each([
  ["local folder", () => local.store as FileStore],
  ["S3-compatible (s3rver)", () => testS3Store() as FileStore],
])("a large export, prepared in the background (%s)", (_name, makeStore) => {
  test("the export page is offered; the job writes the file, counts its progress, and its owner downloads the same CSV; nobody else does", async () => {
    const store = makeStore();
    setFileStore(store);
    await clearLimit();
    const response = await get(ops, "period=90");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/kpi/exports?period=90");

    let later: ((db: Db) => Promise<void>) | undefined;
    const started = await startKpiExport({ db: conn.db, actor: ops, afterCommit: (task) => (later = task) }, { period: "90" });
    if (!started.ok) throw new Error(JSON.stringify(started));
    // Asked again while it waits: the same job; another export meanwhile: refused.
    expect(await startKpiExport({ db: conn.db, actor: ops }, { period: "90" })).toMatchObject({ ok: true, job: { id: started.job.id } });
    expect(await startKpiExport({ db: conn.db, actor: ops }, { period: "30" })).toMatchObject({ ok: false, formError: expect.stringMatching(/being prepared/) });
    expect(later).toBeDefined();
    await later!(conn.db);

    const [job] = await conn.db.select().from(exportJobs).where(eq(exportJobs.id, started.job.id));
    const expected = await kpiCsvText(conn.db, ops, parseKpiFilter({ period: "90" }).filter);
    expect(job).toMatchObject({ status: "done", kind: "background", storageKey: `exports/${job.id}.csv`, sizeBytes: Buffer.byteLength(expected) });
    expect(job.rowsTotal).toBeGreaterThan(DIRECT_ROWS);
    expect(job.rowsDone).toBe(job.rowsTotal);
    expect(job.expiresAt!.getTime() - job.finishedAt!.getTime()).toBe(24 * 3600_000);

    const first = await serveExportFile(ops, job.id, conn.db, store);
    const file = first.status === 302 ? await fetch(first.headers.get("location")!) : first;
    expect(file.status).toBe(200);
    expect(file.headers.get("content-disposition")).toMatch(/^attachment; filename/);
    expect(await file.text()).toBe(expected);
    for (const other of [admin, south, null]) expect((await serveExportFile(other, job.id, conn.db, store)).status).toBe(other ? 404 : 401);

    // A day later the file is gone; the job says so.
    expect(await removeExpiredExports(conn.db, new Date(Date.now() + 25 * 3600_000), store)).toBe(1);
    expect(await store.stat(job.storageKey!)).toBeNull();
    const gone = await serveExportFile(ops, job.id, conn.db, store);
    expect(gone.status).toBe(404);
    expect(await gone.text()).toMatch(/expired/);
  });
});

test("a job whose runner died is taken over once its lease has passed, and one runner at a time runs it", async () => {
  setFileStore(local.store);
  await clearLimit();
  const started = await startKpiExport({ db: conn.db, actor: ops }, { period: "90" });
  if (!started.ok) throw new Error(JSON.stringify(started));
  // Claimed by a runner that then vanished.
  await conn.db.update(exportJobs).set({ status: "running", lockedUntil: new Date(Date.now() + 60_000) }).where(eq(exportJobs.id, started.job.id));
  expect(await runExportJob(conn.db, started.job.id)).toBe("skipped");
  expect(await runStaleExportJobs(conn.db, new Date())).toBe(0);
  expect(await runStaleExportJobs(conn.db, new Date(Date.now() + 120_000))).toBe(1);
  expect((await conn.db.select({ status: exportJobs.status }).from(exportJobs).where(eq(exportJobs.id, started.job.id)))[0].status).toBe("done");
});

test("an account that lost its KPI access by the time the job runs gets no file", async () => {
  await clearLimit();
  const started = await startKpiExport({ db: conn.db, actor: south }, { period: "90" });
  if (!started.ok) throw new Error(JSON.stringify(started));
  await conn.db.execute(sql`update accounts set roles = '{dispatchTeam}' where id = ${south.id}`);
  expect(await runExportJob(conn.db, started.job.id)).toBe("failed");
  const [job] = await conn.db.select().from(exportJobs).where(eq(exportJobs.id, started.job.id));
  expect(job).toMatchObject({ status: "failed", storageKey: null, error: "This account may no longer export KPIs." });
  await conn.db.execute(sql`update accounts set roles = '{storeManager}' where id = ${south.id}`);
});
