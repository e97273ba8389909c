import type { Metadata } from "next";
import type { Actor } from "@/lib/workflow";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { listStores } from "@/db/queries/orders";
import { can } from "@/lib/auth/policy";
import { requireGrant } from "@/lib/auth/session";
import { formatDate, formatDateTime } from "@/lib/format";
import { kpiSearchParams, parseKpiFilter } from "@/lib/kpi/filters";
import { NO_DATA, formatDays, formatPercent, formatRating, plural } from "@/lib/kpi/format";
import { cachedKpiReport } from "@/lib/kpi/cache";
import { partialWeek } from "@/lib/kpi/partial-week";
import { kpiTargets } from "@/lib/kpi/targets";
import { buttonClass } from "@/components/ui/styles";
import { FailReasonPareto } from "@/components/fail-reason-pareto";
import { scaleFor } from "@/components/kpi-trend-chart";
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
  const deliveryWeeks = report.deliveryTrend.map((w) => ({ ...w, label: weekLabel.format(new Date(`${w.week}T00:00:00Z`)), partial: partialWeek(w.week, filter, now) }));
  const pareto = report.failReasons.bars.map((b) => ({
    ...b,
    href: ordersHref({ state: "any", failReason: String(b.reasonId), failedFrom: filter.from, failedTo: filter.to }),
  }));
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
              ? `Submitted → received by the store, ${plural(productionTime.counted, "completed order")}${without(productionTime.of - productionTime.counted, "a submission time")}`
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
          basis={onTime.of ? `Received by the store on or before the Required Delivery Date, of ${plural(onTime.counted, "completed order")}${without(onTime.of - onTime.counted, "a required date")}` : "No orders were received in this period"}
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
          basis={quality.counted ? `Passed at the first inspection, of ${plural(quality.counted, "order")} first inspected in the period` : "No order had its first inspection in this period"}
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
              ? `Mean Customer Feedback rating, from ${plural(satisfaction.of, "completed order")}${satisfaction.of > satisfaction.counted ? `; ${plural(satisfaction.of - satisfaction.counted, "order")} without a rating left out` : ""}`
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
          <TrendPanel
            id="trend-production-time"
            title="Average production time"
            unit="Orders received"
            color="#7c3aed"
            target={kpiTargets.productionTime.maxDays}
            targetLabel={kpiTargets.productionTime.label}
            scale={scaleFor(deliveryWeeks.map((w) => w.productionDays), { target: kpiTargets.productionTime.maxDays, unit: "Days", suffix: " d" })}
            definition="Submitted → received by the store, mean of the orders received that week."
            points={deliveryWeeks.map((w) => ({ label: w.label, value: w.productionDays, count: w.timed, partial: w.partial }))}
          />
          <TrendPanel
            id="trend-satisfaction"
            title="Customer satisfaction"
            unit="Ratings"
            color="#d97706"
            target={kpiTargets.satisfaction.target}
            targetLabel={kpiTargets.satisfaction.label}
            scale={scaleFor(deliveryWeeks.map((w) => w.satisfaction), { target: 5, ceiling: 5, digits: 2, unit: "Mean rating", suffix: " / 5" })}
            definition="Mean Customer Feedback rating of the orders received that week."
            points={deliveryWeeks.map((w) => ({ label: w.label, value: w.satisfaction, count: w.rated, partial: w.partial }))}
          />
        </div>
        <p className="text-xs text-slate-500">
          On-time delivery: received by the store on or before the Required Delivery Date. Quality pass rate: passed at the first inspection, by the week of that
          inspection. A hollow point is a week the period covers only in part.
        </p>
      </section>

      <section aria-labelledby="quality-reason-title" className="space-y-3">
        <div>
          <h2 id="quality-reason-title" className="text-lg font-semibold">
            Quality by reason
          </h2>
          <p className="text-sm text-slate-600">Of the orders received by the store in the period, and the failed inspections recorded in it.</p>
        </div>
        <div className="grid gap-4 sm:grid-cols-3">
          <FigureCard
            id="first-pass-yield"
            title="First-pass yield"
            value={formatPercent(report.firstPassYield.value)}
            target=""
            untargeted
            state={null}
            detail={report.firstPassYield.of > 0 && <>{plural(report.firstPassYield.firstPass, "order")} never failed an inspection</>}
            basis={report.firstPassYield.of ? `Received with no failed inspection, of ${plural(report.firstPassYield.of, "order")} received by the store` : "No orders were received in this period"}
          />
          <FigureCard
            id="reworks-per-order"
            title="Reworks per order"
            value={report.reworksPerOrder.value === null ? NO_DATA : report.reworksPerOrder.value.toFixed(2)}
            target=""
            untargeted
            state={null}
            detail={report.reworksPerOrder.of > 0 && <>{plural(report.reworksPerOrder.reworks, "failed inspection")} in all</>}
            basis={report.reworksPerOrder.of ? `Failed inspections of the orders received by the store, per order (${plural(report.reworksPerOrder.of, "order")})` : "No orders were received in this period"}
          />
          <FigureCard
            id="received-bad"
            title="Received damaged or wrong"
            value={formatPercent(report.receivedBad.value)}
            target=""
            untargeted
            state={null}
            detail={report.receivedBad.of > 0 && <>{plural(report.receivedBad.bad, "order")} received damaged or with the wrong specification</>}
            basis={report.receivedBad.of ? `Product Condition damaged or wrong specification, of ${plural(report.receivedBad.of, "order")} received by the store` : "No orders were received in this period"}
          />
        </div>
        <div className="grid gap-4 lg:grid-cols-2">
          <section aria-labelledby="pareto-title" className="rounded-lg border border-slate-200 bg-white p-4 lg:col-span-2">
            <h3 id="pareto-title" className="text-sm font-medium text-slate-700">
              Fail reasons
            </h3>
            <p className="text-xs text-slate-500">
              Failed inspections recorded in the period naming each reason (one naming two counts for both), most first; the line is the running share. Each bar
              opens its orders.
            </p>
            {pareto.length === 0 ? (
              <p className="flex h-[120px] items-center justify-center text-sm text-slate-500">No failed inspection named a reason in this period</p>
            ) : (
              <>
                <FailReasonPareto bars={pareto} />
                <table className="mt-2 w-full text-sm" data-testid="fail-reasons-table">
                  <caption className="sr-only">Fail reasons, most first</caption>
                  <thead className="text-left text-xs text-slate-500">
                    <tr>
                      <th scope="col">Reason</th>
                      <th scope="col" className="text-right">Failed inspections</th>
                      <th scope="col" className="text-right">Share</th>
                      <th scope="col" className="text-right">Running share</th>
                    </tr>
                  </thead>
                  <tbody>
                    {pareto.map((b) => (
                      <tr key={b.label} className="border-t border-slate-100">
                        <th scope="row" className="py-1 text-left font-normal">
                          <a href={b.href} className="text-indigo-700 underline">
                            {b.label}
                          </a>
                          {b.archived ? <span className="text-slate-500"> (archived)</span> : null}
                        </th>
                        <td className="text-right tabular-nums">{b.failed}</td>
                        <td className="text-right tabular-nums">{formatPercent(b.share)}</td>
                        <td className="text-right tabular-nums">{formatPercent(b.cumulative)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
          </section>
          <TrendPanel
            id="trend-first-pass-yield"
            title="First-pass yield"
            unit="Orders received"
            color="#059669"
            target={null}
            definition="Orders received by the store that week that never failed an inspection."
            points={deliveryWeeks.map((w) => ({ label: w.label, value: pct(w.firstPassYield), count: w.received, partial: w.partial }))}
          />
          <TrendPanel
            id="trend-reworks"
            title="Reworks per order"
            unit="Orders received"
            color="#be123c"
            target={null}
            scale={scaleFor(deliveryWeeks.map((w) => w.reworksPerOrder), { digits: 2, unit: "Reworks per order" })}
            definition="Failed inspections of the orders received by the store that week, per order."
            points={deliveryWeeks.map((w) => ({ label: w.label, value: w.reworksPerOrder, count: w.received, partial: w.partial }))}
          />
          <TrendPanel
            id="trend-received-bad"
            title="Received damaged or wrong"
            unit="Orders received"
            color="#9a3412"
            target={null}
            scale={scaleFor(deliveryWeeks.map((w) => pct(w.receivedBad)), { unit: "Share", suffix: " %" })}
            definition="Orders received that week with Product Condition damaged or wrong specification."
            points={deliveryWeeks.map((w) => ({ label: w.label, value: pct(w.receivedBad), count: w.received, partial: w.partial }))}
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
