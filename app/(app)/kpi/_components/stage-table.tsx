import { Badge } from "@/components/ui/badge";
import { KpiStateBadge } from "@/components/kpi-state-badge";
import { formatDuration } from "@/lib/format";
import { NO_DATA, formatPercent } from "@/lib/kpi/format";
import type { StageFigure } from "@/lib/kpi/queries";
import { type StageKey, stage } from "@/lib/workflow";

/** Time in each stage against its target (from the workflow definition), with the bottleneck marked. */
export function StageTable({ rows, bottleneck }: { rows: StageFigure[]; bottleneck: StageKey | null }) {
  const ms = (v: number | null) => (v === null ? NO_DATA : formatDuration(v));
  return (
    // Scrolls sideways on a phone; focusable so the keyboard can scroll it too.
    <div role="region" aria-label="Time in each stage (scrolls sideways)" tabIndex={0} className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">Time in each stage, for stage entries completed in the period</caption>
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" className="px-3 py-3 lg:px-4">Stage</th>
            <th scope="col" className="hidden px-3 py-3 lg:table-cell lg:px-4">Target</th>
            <th scope="col" className="px-3 py-3 lg:px-4 text-right">Completed</th>
            <th scope="col" className="px-3 py-3 lg:px-4 text-right">Average</th>
            <th scope="col" className="px-3 py-3 lg:px-4 text-right">90th pct.</th>
            <th scope="col" className="px-3 py-3 lg:px-4 text-right">Late</th>
            <th scope="col" className="px-3 py-3 lg:px-4">State</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((r) => {
            const s = stage(r.stage);
            const isBottleneck = r.stage === bottleneck;
            return (
              <tr key={r.stage} className={isBottleneck ? "bg-amber-50/60" : undefined}>
                <th scope="row" className="whitespace-nowrap px-3 py-3 lg:px-4 text-left font-medium text-slate-900">
                  {s.number}. {s.name}
                  <span className="block text-xs font-normal text-slate-500 lg:hidden">Target {s.target.label}</span>
                  {isBottleneck && (
                    <span className="mt-1 block lg:ml-2 lg:mt-0 lg:inline">
                      <Badge tone="amber">Bottleneck</Badge>
                    </span>
                  )}
                </th>
                <td className="hidden whitespace-nowrap px-3 py-3 text-slate-700 lg:table-cell lg:px-4">{s.target.label}</td>
                <td className="px-3 py-3 lg:px-4 text-right tabular-nums">{r.entries.toLocaleString("en-GB")}</td>
                <td className="whitespace-nowrap px-3 py-3 lg:px-4 text-right tabular-nums">{ms(r.avgMs)}</td>
                <td className="whitespace-nowrap px-3 py-3 lg:px-4 text-right tabular-nums">{ms(r.p90Ms)}</td>
                <td className="whitespace-nowrap px-3 py-3 lg:px-4 text-right tabular-nums">
                  {r.entries ? (
                    <>
                      {r.late.toLocaleString("en-GB")} <span className="text-slate-500">({formatPercent(r.lateRate, 0)})</span>
                    </>
                  ) : (
                    "—"
                  )}
                </td>
                <td className="px-3 py-3 lg:px-4">
                  <KpiStateBadge state={r.state} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
