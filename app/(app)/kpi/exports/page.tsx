import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { listStores } from "@/db/queries/orders";
import { can } from "@/lib/auth/policy";
import { requireGrant } from "@/lib/auth/session";
import { formatDate, formatDateTime } from "@/lib/format";
import { countKpiCsvRows } from "@/lib/kpi/export";
import { exportLimits, listMyExports } from "@/lib/kpi/export-jobs";
import { kpiSearchParams, parseKpiFilter } from "@/lib/kpi/filters";
import { formatBytes } from "@/lib/format";
import { RefreshWhilePreparing } from "./_components/refresh-while-preparing";
import { StartExportForm } from "./_components/start-export-form";

export const metadata: Metadata = { title: "KPI exports" };

type Search = Record<string, string | string[] | undefined>;

const statusText = { queued: "Waiting to start", running: "Being prepared", done: "Ready", failed: "Failed", expired: "Expired" } as const;

/**
 * /kpi/exports: the account's KPI exports prepared in the background, with their progress and,
 * once ready, a download link (until it expires). With a KPI filter in the query (the KPI page's
 * "Export CSV" sends a large one here), first the offer to prepare that one.
 */
export default async function KpiExportsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await requireGrant("viewKpi");
  const db = await getDb();
  const query = await searchParams;
  const asked = query.period !== undefined;
  const { filter, errors } = parseKpiFilter(query);
  if (errors.store || (filter.storeId && !can.readStore(actor, filter.storeId))) notFound();
  const stores = await listStores(db, actor);
  if (filter.storeId && !stores.some((s) => s.id === filter.storeId)) notFound();
  const offer = asked && !Object.keys(errors).length ? { rows: await countKpiCsvRows(db, actor, filter), params: Object.fromEntries(kpiSearchParams(filter)) } : null;
  const jobs = await listMyExports(db, actor);
  const preparing = jobs.some((j) => j.status === "queued" || j.status === "running");
  const storeName = filter.storeId ? stores.find((s) => s.id === filter.storeId)?.name : "All stores";
  return (
    <div className="space-y-6">
      <RefreshWhilePreparing preparing={preparing} />
      <div>
        <h1 className="text-2xl font-semibold">KPI exports</h1>
        <p className="text-sm text-slate-600">
          Exports of more than {exportLimits().directRows.toLocaleString("en-GB")} orders are prepared here, in the background, and kept for a day.{" "}
          <Link href="/kpi" className="text-indigo-700 underline">Back to the KPIs</Link>
        </p>
      </div>
      {offer && (
        <section aria-labelledby="offer-title" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
          <h2 id="offer-title" className="font-semibold">
            {storeName} · {formatDate(filter.from)} – {formatDate(filter.to)}
          </h2>
          <p className="text-sm text-slate-700">
            This export holds {offer.rows.toLocaleString("en-GB")} orders. It is prepared in the background: you can leave this page and come back.
          </p>
          <StartExportForm filter={offer.params} label="Prepare the file" />
        </section>
      )}
      <section aria-labelledby="list-title" className="space-y-3">
        <h2 id="list-title" className="font-semibold">Your exports</h2>
        {jobs.length === 0 ? (
          <p className="text-sm text-slate-600">No exports in the last week.</p>
        ) : (
          <ul className="space-y-3">
            {jobs.map((job) => {
              const percent = job.rowsTotal ? Math.min(100, Math.floor((job.rowsDone / job.rowsTotal) * 100)) : 0;
              return (
                <li key={job.id} id={`export-${job.id}`} className="space-y-1 rounded-lg border border-slate-200 bg-white p-3 text-sm">
                  <p className="break-all font-medium">{job.filename}</p>
                  <p className="text-slate-600">
                    {statusText[job.status]} · asked {formatDateTime(job.createdAt, actor.timeZone ?? "UTC")}
                    {job.rowsTotal !== null ? ` · ${job.rowsTotal.toLocaleString("en-GB")} orders` : ""}
                  </p>
                  {(job.status === "queued" || job.status === "running") && (
                    <p className="flex items-center gap-2">
                      <progress className="h-2 w-48 max-w-full" max={100} value={percent} aria-label={`Preparing ${job.filename}`} />
                      <span className="tabular-nums">{percent} %</span>
                    </p>
                  )}
                  {job.status === "done" && (
                    <p>
                      <a href={`/kpi/exports/${job.id}/file`} className="text-indigo-700 underline">
                        Download {job.filename}
                      </a>
                      {job.sizeBytes !== null && <span className="text-slate-500"> · {formatBytes(job.sizeBytes)}</span>}
                      {job.expiresAt && <span className="text-slate-500"> · until {formatDateTime(job.expiresAt, actor.timeZone ?? "UTC")}</span>}
                    </p>
                  )}
                  {job.status === "failed" && job.error && <p className="text-rose-700">{job.error}</p>}
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </div>
  );
}
