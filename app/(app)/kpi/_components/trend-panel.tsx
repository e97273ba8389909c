import { KpiTrendChart, type TrendPoint, type TrendScale } from "@/components/kpi-trend-chart";
import { formatPercent } from "@/lib/kpi/format";
import { partialWeekText } from "@/lib/kpi/partial-week";

/** One weekly trend: the chart for the eye, the same numbers as a table for screen readers. */
export function TrendPanel({
  id,
  title,
  points,
  target,
  targetLabel,
  color,
  unit,
  scale,
  definition,
}: {
  id: string;
  title: string;
  points: TrendPoint[];
  /** On the chart's scale; null: the card names no target for it. */
  target: number | null;
  targetLabel?: string;
  color: string;
  unit: string;
  scale?: TrendScale;
  /** What the figure counts, said under the chart. */
  definition?: string;
}) {
  const any = points.some((p) => p.value !== null);
  // Said of the weeks that have a point to mark: a week without data has nothing to qualify.
  const partial = points.filter((p) => p.partial && p.value !== null);
  return (
    <section aria-labelledby={`${id}-title`} className="rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 id={`${id}-title`} className="text-sm font-medium text-slate-700">
          {title}
        </h3>
        {target !== null ? (
          <p className="flex items-center gap-1.5 text-xs text-slate-500">
            <span aria-hidden="true" className="inline-block w-5 border-t-2 border-dashed border-slate-500" />
            Target {targetLabel ?? `${target} %`}
          </p>
        ) : (
          <p className="text-xs text-slate-500">No target on the card</p>
        )}
      </div>
      {any ? (
        <div className="mt-2">
          <KpiTrendChart data={points} target={target} color={color} name={title} scale={scale} />
        </div>
      ) : (
        <p className="flex h-[220px] items-center justify-center text-sm text-slate-500">No data in this period</p>
      )}
      {any && partial.length > 0 && (
        <ul className="mt-1 space-y-0.5 text-xs text-slate-600">
          {partial.map((p) => (
            <li key={p.label} className="flex items-center gap-1.5">
              <svg viewBox="0 0 10 10" aria-hidden="true" className="size-2.5 shrink-0">
                <circle cx="5" cy="5" r="3.5" fill="#fff" stroke={color} strokeWidth="2" />
              </svg>
              <span>
                Week of {p.label} is partial ({partialWeekText(p.partial!)}){p.partial!.underWay ? `: its ${scale ? "figure" : "rate"} can still change` : ""}.
              </span>
            </li>
          ))}
        </ul>
      )}
      {definition && <p className="mt-1 text-xs text-slate-500">{definition}</p>}
      {/* The box that hides the table is a block: a table's own box does not clip what it holds. */}
      <div className="sr-only">
        <table>
          <caption>{title}, by week</caption>
          <thead>
            <tr>
              <th scope="col">Week of</th>
              <th scope="col">{scale ? scale.unit : "Rate"}</th>
              <th scope="col">{unit}</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.label}>
                <th scope="row">{p.partial ? `${p.label} (partial week: ${partialWeekText(p.partial)})` : p.label}</th>
                <td>{p.value === null ? "No data" : scale ? scale.value(p.value) : formatPercent(p.value / 100)}</td>
                <td>{p.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
