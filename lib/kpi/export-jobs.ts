import "server-only";
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, desc, eq, gte, inArray, isNotNull, lt, or } from "drizzle-orm";
import type { Db, Executor } from "@/db/client";
import { listStores } from "@/db/queries/orders";
import { type ExportStatus, exportJobs } from "@/db/schema";
import { loadActor } from "@/lib/auth/actor";
import { can } from "@/lib/auth/policy";
import { env } from "@/lib/env";
import { reportUnexpected } from "@/lib/errors";
import { type Ctx, type Result, zodFailure } from "@/lib/result";
import { DOWNLOAD_URL_SECONDS, type FileStore, fileStore } from "@/lib/storage";
import type { Actor } from "@/lib/workflow";
import { countKpiCsvRows, kpiCsv, kpiCsvFilename, kpiCsvText } from "./export";
import { type KpiFilter, type StartExportInput, parseKpiFilter, periodFilter, startExportSchema } from "./filters";

/**
 * KPI exports per account (decision 021). An export of up to MAKELINE_EXPORT_DIRECT_ROWS orders
 * is made at once (COPY into memory, the connection released before the download starts). A
 * larger one is a job: the person starts it, PostgreSQL writes the CSV with COPY into a file on
 * this machine at its own pace (progress counted in rows), the file goes to the file store, and
 * the page offers it for download until it expires. An account has at most one job under way,
 * and at most MAKELINE_EXPORTS_PER_HOUR exports an hour, direct ones included.
 */

/** How long a prepared file is offered. */
export const EXPORT_KEEP_MS = 24 * 3600_000;
/** A runner's lease on a job, renewed with each progress report. */
const LEASE_MS = 5 * 60_000;
const PROGRESS_EVERY_MS = 1000;

export const exportLimits = () => ({ directRows: env().MAKELINE_EXPORT_DIRECT_ROWS, perHour: env().MAKELINE_EXPORTS_PER_HOUR });

/** A job's filter as stored: the period's days fixed when it was asked for, so a job run later exports the same days. */
type StoredFilter = { period: string; from: string; to: string; store?: string };
const storedFilter = (f: KpiFilter): StoredFilter => ({ period: f.period, from: f.from, to: f.to, ...(f.storeId ? { store: String(f.storeId) } : {}) });
const filterOf = (s: Record<string, string>): KpiFilter => periodFilter(s.period as KpiFilter["period"], s.from, s.to, s.store ? Number(s.store) : undefined);

export type ExportRefusal = { status: 400 | 404 | 429; message: string; fieldErrors?: Record<string, string[]>; retryAfterSeconds?: number };

/**
 * May this account export this filter now: it sees KPIs, the store (if any) is one of its own,
 * and it has not used its exports of the hour. The filter, or the refusal with its HTTP status.
 */
export async function checkExport(db: Executor, actor: Actor, query: Record<string, unknown>, now = new Date()): Promise<{ ok: true; filter: KpiFilter } | ({ ok: false } & ExportRefusal)> {
  if (!can.viewKpi(actor)) return { ok: false, status: 404, message: "Not found" };
  const { filter, errors } = parseKpiFilter(query, now);
  if (Object.keys(errors).length) return { ok: false, status: 400, message: "Check the period", fieldErrors: errors };
  if (filter.storeId) {
    const readable = can.readStore(actor, filter.storeId) && (await listStores(db, actor)).some((s) => s.id === filter.storeId);
    if (!readable) return { ok: false, status: 404, message: "Not found" };
  }
  const hourAgo = new Date(now.getTime() - 3600_000);
  const recent = await db
    .select({ createdAt: exportJobs.createdAt })
    .from(exportJobs)
    .where(and(eq(exportJobs.accountId, actor.id), gte(exportJobs.createdAt, hourAgo)))
    .orderBy(exportJobs.createdAt);
  const { perHour } = exportLimits();
  if (recent.length >= perHour) {
    const freeAt = new Date(recent[recent.length - perHour].createdAt.getTime() + 3600_000);
    const retryAfterSeconds = Math.max(1, Math.ceil((freeAt.getTime() - now.getTime()) / 1000));
    return { ok: false, status: 429, message: `You have exported ${perHour} times in the last hour: try again in ${Math.ceil(retryAfterSeconds / 60)} minutes.`, retryAfterSeconds };
  }
  return { ok: true, filter };
}

/** A direct export (below the bound): the CSV, counted for the account's limit. */
export async function directExport(db: Db, actor: Actor, filter: KpiFilter, rows: number, now = new Date()): Promise<string> {
  const text = await kpiCsvText(db, actor, filter);
  await db.insert(exportJobs).values({ accountId: actor.id, kind: "direct", filter: storedFilter(filter), filename: kpiCsvFilename(filter), status: "done", rowsTotal: rows, rowsDone: rows, sizeBytes: Buffer.byteLength(text), createdAt: now, finishedAt: new Date() });
  return text;
}

/**
 * Starts preparing a large export in the background (the server action behind "Prepare the
 * file"). The same filter asked again while its job is under way is that job; another while one
 * is under way is refused. The job runs after the response (ctx.afterCommit), or on a later pass.
 */
export async function startKpiExport(ctx: Ctx, input: StartExportInput): Promise<Result<{ job: { id: string } }>> {
  const parsed = startExportSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const query = parsed.data;
  const now = ctx.now ?? new Date();
  const mine = await ctx.db
    .select({ id: exportJobs.id, filter: exportJobs.filter })
    .from(exportJobs)
    .where(and(eq(exportJobs.accountId, ctx.actor.id), eq(exportJobs.kind, "background"), inArray(exportJobs.status, ["queued", "running"])));
  const checked = await checkExport(ctx.db, ctx.actor, query, now);
  if (!checked.ok) return { ok: false, formError: checked.message, fieldErrors: checked.fieldErrors, notFound: checked.status === 404 };
  const wanted = storedFilter(checked.filter);
  const same = mine.find((j) => j.filter.period === wanted.period && j.filter.from === wanted.from && j.filter.to === wanted.to && j.filter.store === wanted.store);
  if (same) return { ok: true, job: { id: same.id } };
  if (mine.length) return { ok: false, formError: "An export of yours is being prepared: wait for it to finish, then start this one." };
  const [job] = await ctx.db
    .insert(exportJobs)
    .values({ accountId: ctx.actor.id, kind: "background", filter: wanted, filename: kpiCsvFilename(checked.filter), status: "queued", createdAt: now })
    .returning({ id: exportJobs.id });
  ctx.afterCommit?.((db) => runExportJob(db, job.id).then(() => undefined));
  return { ok: true, job };
}

/** Takes a job to run: queued, or running under a lease that has expired (its runner died). */
async function claimJob(db: Db, id: string, now: Date) {
  const [job] = await db
    .update(exportJobs)
    .set({ status: "running", startedAt: now, lockedUntil: new Date(now.getTime() + LEASE_MS), rowsDone: 0, error: null })
    .where(and(eq(exportJobs.id, id), eq(exportJobs.kind, "background"), or(eq(exportJobs.status, "queued"), and(eq(exportJobs.status, "running"), lt(exportJobs.lockedUntil, now)))))
    .returning();
  return job;
}

/**
 * Runs one background export: the account is read again (its scope now), COPY writes the CSV
 * into a file here, the file goes to the store, and the job is done with its size and expiry.
 * Returns the job's status afterwards; "skipped" when another runner has it.
 */
export async function runExportJob(db: Db, id: string, options: { store?: FileStore; now?: Date } = {}): Promise<ExportStatus | "skipped"> {
  const job = await claimJob(db, id, options.now ?? new Date());
  if (!job) return "skipped";
  const store = options.store ?? fileStore();
  const file = path.join(tmpdir(), `makeline-export-${randomBytes(8).toString("hex")}.csv`);
  const fail = async (error: string) => {
    await db.update(exportJobs).set({ status: "failed", error, finishedAt: new Date(), lockedUntil: null }).where(eq(exportJobs.id, id));
    return "failed" as const;
  };
  try {
    const actor = await loadActor(db, job.accountId);
    if (!actor || !can.viewKpi(actor)) return await fail("This account may no longer export KPIs.");
    const filter = filterOf(job.filter);
    const total = await countKpiCsvRows(db, actor, filter);
    await db.update(exportJobs).set({ rowsTotal: total }).where(eq(exportJobs.id, id));
    let rows = -1; // the header line
    let reported = Date.now();
    const out = createWriteStream(file);
    const closed = new Promise<void>((resolve, reject) => {
      out.once("close", resolve);
      out.once("error", reject);
    });
    try {
      for await (const chunk of kpiCsv(db, actor, filter)) {
        if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
        for (let i = chunk.indexOf("\n"); i >= 0; i = chunk.indexOf("\n", i + 1)) rows++;
        if (Date.now() - reported >= PROGRESS_EVERY_MS) {
          reported = Date.now();
          await db
            .update(exportJobs)
            .set({ rowsDone: Math.min(rows, total), lockedUntil: new Date(Date.now() + LEASE_MS) })
            .where(and(eq(exportJobs.id, id), eq(exportJobs.status, "running")));
        }
      }
    } finally {
      out.end();
      await closed;
    }
    const { size } = await stat(file);
    const key = `exports/${id}.csv`;
    await store.write(key, { path: file, size });
    const now = new Date();
    await db
      .update(exportJobs)
      .set({ status: "done", rowsDone: total, storageKey: key, sizeBytes: size, finishedAt: now, expiresAt: new Date(now.getTime() + EXPORT_KEEP_MS), lockedUntil: null })
      .where(eq(exportJobs.id, id));
    return "done";
  } catch (error) {
    const ref = reportUnexpected("KPI export job", error);
    return await fail(`The export could not be prepared (reference ${ref}): start it again.`);
  } finally {
    await rm(file, { force: true });
  }
}

/** Jobs whose runner never started or died (the automation pass runs them). */
export async function runStaleExportJobs(db: Db, now = new Date()): Promise<number> {
  const stale = await db
    .select({ id: exportJobs.id })
    .from(exportJobs)
    .where(
      and(
        eq(exportJobs.kind, "background"),
        or(and(eq(exportJobs.status, "queued"), lt(exportJobs.createdAt, new Date(now.getTime() - 60_000))), and(eq(exportJobs.status, "running"), lt(exportJobs.lockedUntil, now))),
      ),
    )
    .orderBy(exportJobs.createdAt)
    .limit(5);
  let ran = 0;
  for (const { id } of stale) if ((await runExportJob(db, id, { now })) !== "skipped") ran++;
  return ran;
}

/** Prepared files past their time: removed from the store; the job says it expired. */
export async function removeExpiredExports(db: Db, now = new Date(), store: FileStore = fileStore()): Promise<number> {
  const expired = await db
    .select({ id: exportJobs.id, key: exportJobs.storageKey })
    .from(exportJobs)
    .where(and(eq(exportJobs.status, "done"), isNotNull(exportJobs.storageKey), lt(exportJobs.expiresAt, now)));
  for (const job of expired) {
    await store.delete(job.key!);
    await db.update(exportJobs).set({ status: "expired", storageKey: null }).where(and(eq(exportJobs.id, job.id), eq(exportJobs.status, "done")));
  }
  return expired.length;
}

/** The account's background exports of the last week, newest first, for the exports page. */
export async function listMyExports(db: Executor, actor: Actor, now = new Date()) {
  return db
    .select({
      id: exportJobs.id,
      filename: exportJobs.filename,
      status: exportJobs.status,
      rowsTotal: exportJobs.rowsTotal,
      rowsDone: exportJobs.rowsDone,
      sizeBytes: exportJobs.sizeBytes,
      error: exportJobs.error,
      createdAt: exportJobs.createdAt,
      expiresAt: exportJobs.expiresAt,
    })
    .from(exportJobs)
    .where(and(eq(exportJobs.accountId, actor.id), eq(exportJobs.kind, "background"), gte(exportJobs.createdAt, new Date(now.getTime() - 7 * 24 * 3600_000))))
    .orderBy(desc(exportJobs.createdAt))
    .limit(20);
}

/**
 * GET /kpi/exports/<id>/file: a prepared file to the account that asked for it (and may still
 * see KPIs): a one-minute link to object storage, or the file streamed from the local folder.
 */
export async function serveExportFile(actor: Actor | null, id: string, db: Executor, store: FileStore = fileStore()): Promise<Response> {
  if (!actor) return new Response("Sign in to download exports.", { status: 401 });
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id) || !can.viewKpi(actor)) return new Response("Not found", { status: 404 });
  const [job] = await db.select().from(exportJobs).where(and(eq(exportJobs.id, id), eq(exportJobs.accountId, actor.id)));
  if (!job) return new Response("Not found", { status: 404 });
  if (job.status !== "done" || !job.storageKey) return new Response(job.status === "expired" ? "This export has expired: prepare it again." : "This export is not ready.", { status: 404 });
  const url = await store.downloadUrl(job.storageKey, { filename: job.filename, contentType: "text/csv; charset=utf-8", inline: false, expiresInSeconds: DOWNLOAD_URL_SECONDS });
  if (url) return new Response(null, { status: 302, headers: { Location: url, "Cache-Control": "private, no-store" } });
  return new Response(await store.read(job.storageKey), {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${job.filename}"`, "Cache-Control": "private, no-store", ...(job.sizeBytes ? { "Content-Length": String(job.sizeBytes) } : {}) },
  });
}
