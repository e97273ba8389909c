import { KpiTrendChart, type TrendPoint } from "@/components/kpi-trend-chart";
import { formatPercent } from "@/lib/kpi/format";

/** One weekly trend: the chart for the eye, the same numbers as a table for screen readers. */
export function TrendPanel({ id, title, points, target, color, unit }: { id: string; title: string; points: TrendPoint[]; target: number; color: string; unit: string }) {
  const any = points.some((p) => p.value !== null);
  return (
    <section aria-labelledby={`${id}-title`} className="rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 id={`${id}-title`} className="text-sm font-medium text-slate-700">
          {title}
        </h3>
        <p className="flex items-center gap-1.5 text-xs text-slate-500">
          <span aria-hidden="true" className="inline-block w-5 border-t-2 border-dashed border-slate-500" />
          Target {target} %
        </p>
      </div>
      {any ? (
        <div className="mt-2">
          <KpiTrendChart data={points} target={target} color={color} name={title} />
        </div>
      ) : (
        <p className="flex h-[220px] items-center justify-center text-sm text-slate-500">No data in this period</p>
      )}
      <table className="sr-only">
        <caption>{title}, by week</caption>
        <thead>
          <tr>
            <th scope="col">Week of</th>
            <th scope="col">Rate</th>
            <th scope="col">{unit}</th>
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.label}>
              <th scope="row">{p.label}</th>
              <td>{p.value === null ? "No data" : formatPercent(p.value / 100)}</td>
              <td>{p.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
