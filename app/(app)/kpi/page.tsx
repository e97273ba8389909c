import type { Metadata } from "next";
import type { Actor } from "@/lib/workflow";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { listStores } from "@/db/queries/orders";
import { can } from "@/lib/auth/policy";
import { requireGrant } from "@/lib/auth/session";
import { formatDate, formatDateTime } from "@/lib/format";
import { kpiSearchParams, parseKpiFilter } from "@/lib/kpi/filters";
import { formatDays, formatPercent, formatRating, plural } from "@/lib/kpi/format";
import { cachedKpiReport } from "@/lib/kpi/cache";
import { partialWeek } from "@/lib/kpi/partial-week";
import { kpiTargets } from "@/lib/kpi/targets";
import { buttonClass } from "@/components/ui/styles";
import { FigureCard } from "./_components/figure-card";
import { KpiFilterForm } from "./_components/kpi-filter-form";
import { StageTable } from "./_components/stage-table";
import { TrendPanel } from "./_components/trend-panel";
import { WorkNow } from "./_components/work-now";

export const metadata: Metadata = { title: "KPIs" };

type Search = Record<string, string | string[] | undefined>;

const weekLabel = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
const pct = (ratio: number | null) => (ratio === null ? null : Math.round(ratio * 1000) / 10);

/**
 * The page checks its input first, so a store that is no store is a real 404. The report is part
 * of the first HTML, not streamed in behind a skeleton: React reveals a streamed boundary no
 * sooner than 300 ms after the first paint, which made the report (the largest paint) late.
 */
export default async function KpiPage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await requireGrant("viewKpi");
  const parsed = parseKpiFilter(await searchParams);
  const { filter, errors } = parsed;
  // A store that is no id, does not exist or is not the account's: the page does not exist.
  if (errors.store || (filter.storeId && !can.readStore(actor, filter.storeId))) notFound();
  const storeList = await listStores(await getDb(), actor);
  const store = filter.storeId ? storeList.find((s) => s.id === filter.storeId) : undefined;
  if (filter.storeId && !store) notFound();
  return <KpiReportView actor={actor} parsed={parsed} storeList={storeList} store={store} />;
}

type StoreRow = Awaited<ReturnType<typeof listStores>>[number];

async function KpiReportView({ actor, parsed, storeList, store }: { actor: Actor; parsed: ReturnType<typeof parseKpiFilter>; storeList: StoreRow[]; store: StoreRow | undefined }) {
  const { filter, errors, values } = parsed;
  const report = await cachedKpiReport(await getDb(), actor, filter);

  const storeName = store ? store.name : storeList.length === 1 ? storeList[0].name : "All stores";
  const exportHref = `/kpi/export?${kpiSearchParams(filter)}`;
  const ordersHref = (params: Record<string, string>) => {
    const p = new URLSearchParams({ view: "all", ...params });
    if (filter.storeId) p.set("store", String(filter.storeId));
    return `/orders?${p}`;
  };
  const { productionTime, onTime, quality, satisfaction } = report;
  const now = new Date();
  const without = (n: number, what: string) => (n > 0 ? ` (${plural(n, "order")} without ${what} left out)` : "");

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">KPIs</h1>
          <p className="text-sm text-slate-600">
            {storeName} · {formatDate(filter.from)} – {formatDate(filter.to)} · against the process card&apos;s targets
          </p>
        </div>
        {/* No `download` attribute: a large export answers with the page where it is prepared (/kpi/exports). */}
        <div className="flex flex-wrap items-center gap-3">
          <a href="/kpi/exports" className="text-sm text-indigo-700 underline">
            Your exports
          </a>
          <a href={exportHref} className={buttonClass("secondary")}>
            Export CSV
          </a>
        </div>
      </div>

      <KpiFilterForm values={values} errors={errors} stores={storeList.map((s) => ({ id: s.id, name: s.name }))} />
      {Object.keys(errors).length > 0 && (
        <p role="alert" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          That custom range could not be used, so the last 90 days are shown. Check the dates above.
        </p>
      )}

      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <FigureCard
          id="production-time"
          title="Average production time"
          value={formatDays(productionTime.value)}
          target={kpiTargets.productionTime.label}
          state={productionTime.state}
          detail={
            productionTime.value !== null && (
              <dl className="flex gap-4">
                <div>
                  <dt className="inline text-slate-500">Median </dt>
                  <dd className="inline font-medium tabular-nums">{formatDays(productionTime.median)}</dd>
                </div>
                <div>
                  <dt className="inline text-slate-500">90th pct. </dt>
                  <dd className="inline font-medium tabular-nums">{formatDays(productionTime.p90)}</dd>
                </div>
              </dl>
            )
          }
          basis={
            productionTime.of
              ? `Submitted → received, ${plural(productionTime.counted, "completed order")}${without(productionTime.of - productionTime.counted, "a submission time")}`
              : "No orders were received in this period"
          }
        />
        <FigureCard
          id="on-time"
          title="On-time delivery"
          value={formatPercent(onTime.value)}
          target={kpiTargets.onTime.label}
          state={onTime.state}
          detail={onTime.counted > 0 && <>{plural(onTime.onTime, "order")} on or before the required date</>}
          basis={onTime.of ? `Of ${plural(onTime.counted, "completed order")}${without(onTime.of - onTime.counted, "a required date")}` : "No orders were received in this period"}
        />
        <FigureCard
          id="quality"
          title="Quality pass rate"
          value={formatPercent(quality.value)}
          target={kpiTargets.qualityPass.label}
          state={quality.state}
          detail={
            <>
              {quality.counted > 0 && <>{plural(quality.passed, "order")} passed the first inspection · </>}
              {plural(quality.reworks, "rework")}
            </>
          }
          basis={quality.counted ? `Of ${plural(quality.counted, "order")} first inspected in the period` : "No order had its first inspection in this period"}
        />
        <FigureCard
          id="satisfaction"
          title="Customer satisfaction"
          value={formatRating(satisfaction.value)}
          target={kpiTargets.satisfaction.label}
          state={satisfaction.state}
          detail={satisfaction.counted > 0 && <>Mean of {plural(satisfaction.counted, "rating")}</>}
          basis={
            satisfaction.of
              ? `From ${plural(satisfaction.of, "completed order")}${satisfaction.of > satisfaction.counted ? `; ${plural(satisfaction.of - satisfaction.counted, "order")} without a rating left out` : ""}`
              : "No orders were received in this period"
          }
        />
      </div>

      <section aria-labelledby="trend-title" className="space-y-3">
        <h2 id="trend-title" className="text-lg font-semibold">
          Weekly trend
        </h2>
        <div className="grid gap-4 lg:grid-cols-2">
          <TrendPanel
            id="trend-on-time"
            title="On-time delivery"
            unit="Orders delivered"
            color="#4f46e5"
            target={kpiTargets.onTime.target * 100}
            points={report.trend.map((w) => ({ label: weekLabel.format(new Date(`${w.week}T00:00:00Z`)), value: pct(w.onTime), count: w.delivered, partial: partialWeek(w.week, filter, now) }))}
          />
          <TrendPanel
            id="trend-quality"
            title="Quality pass rate"
            unit="Orders inspected"
            color="#0d9488"
            target={kpiTargets.qualityPass.target * 100}
            points={report.trend.map((w) => ({ label: weekLabel.format(new Date(`${w.week}T00:00:00Z`)), value: pct(w.quality), count: w.inspected, partial: partialWeek(w.week, filter, now) }))}
          />
        </div>
      </section>

      <section aria-labelledby="stages-title" className="space-y-3">
        <div>
          <h2 id="stages-title" className="text-lg font-semibold">
            Time in each stage
          </h2>
          <p className="text-sm text-slate-600">
            Stages completed in the period. On target when nine in ten finish within the target; the bottleneck is the stage most often late.
          </p>
        </div>
        <StageTable rows={report.stageTimes.stages} bottleneck={report.stageTimes.bottleneck} />
      </section>

      <section aria-labelledby="now-title" className="space-y-3">
        <div>
          <h2 id="now-title" className="text-lg font-semibold">
            Right now
          </h2>
          <p className="text-sm text-slate-600">Work in progress by stage and what is overdue, whatever the period.</p>
        </div>
        <WorkNow now={report.now} ordersHref={ordersHref} />
      </section>

      <p className="text-xs text-slate-500">
        The period&apos;s figures are at most a minute old (as of {formatDateTime(report.figuresAt, actor.timeZone)}); &ldquo;Right now&rdquo; is live.
        Days are UTC days; an order received on its required delivery date is on time. The CSV lists the orders behind these figures:{" "}
        <a href={exportHref} className="underline">
          download it
        </a>
        .
      </p>
    </div>
  );
}
