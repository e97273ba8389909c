import { type PartialWeek, partialWeekText } from "@/lib/kpi/partial-week";

export type TrendPoint = {
  /** Short label of the week, e.g. "3 Mar". */
  label: string;
  /** Percent (0–100), or null for a week without data: the line breaks there. */
  value: number | null;
  /** How many orders the week's rate is based on. */
  count: number;
  /** Set for a week the period covers only in part: drawn hollow, on a dashed line. */
  partial?: PartialWeek | null;
};

const W = 600;
const H = 220;
const M = { top: 8, right: 12, bottom: 24, left: 40 };
const LABEL_GAP = 76;

/**
 * A weekly rate against its target, drawn on the server as plain SVG: no chart library and no
 * JavaScript in the browser. Each point has a native tooltip (<title>); screen readers get the
 * same numbers as a table (rendered by the page), so the drawing itself is hidden from them.
 */
/** The vertical axis of a trend that is not a rate: its range, its ticks and how a value reads. */
export type TrendScale = { low: number; high: number; ticks: number[]; tick: (v: number) => string; value: (v: number) => string; unit: string };

/** An axis from 0 (or `floor`) to a round number above the values and the target, five ticks or so. */
export function scaleFor(values: (number | null)[], { target, floor = 0, ceiling, digits = 1, unit, suffix = "" }: { target?: number | null; floor?: number; ceiling?: number; digits?: number; unit: string; suffix?: string }): TrendScale {
  const top = Math.max(target ?? 0, ...values.map((v) => v ?? 0));
  const raw = Math.max((top - floor) / 4, 10 ** -digits);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((m) => m >= raw)!;
  const high = ceiling ?? floor + Math.ceil((top - floor) / step + 0.0001) * step;
  const ticks: number[] = [];
  for (let t = floor; t <= high + step / 1000; t += step) ticks.push(Number(t.toFixed(6)));
  const fmt = (v: number) => `${v.toFixed(step < 1 ? Math.max(1, digits) : 0)}${suffix}`;
  return { low: floor, high, ticks, tick: fmt, value: (v) => `${v.toFixed(digits)}${suffix}`, unit };
}

export function KpiTrendChart({ data, target, color, name, scale }: { data: TrendPoint[]; target: number | null; color: string; name: string; scale?: TrendScale }) {
  const values = data.flatMap((d) => (d.value === null ? [] : [d.value]));
  const low = scale ? scale.low : Math.max(0, Math.floor(Math.min((target ?? 100) - 5, ...values) / 10) * 10);
  const high = scale ? scale.high : 100;
  const step = 100 - low <= 20 ? 5 : 100 - low <= 50 ? 10 : 20;
  const ticks = scale ? scale.ticks : Array.from({ length: (100 - low) / step + 1 }, (_, i) => low + i * step);
  const tickText = scale ? scale.tick : (t: number) => `${t}%`;
  const valueText = scale ? scale.value : (v: number) => `${v.toFixed(1)} %`;
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const x = (i: number) => M.left + (data.length <= 1 ? plotW / 2 : (i * plotW) / (data.length - 1));
  const y = (v: number) => M.top + ((high - v) / (high - low || 1)) * plotH;
  // The line breaks at a week without data, as the table says "No data" there. A step into or
  // out of a partial week is dashed: its rate is not yet (or not all) the week's.
  const solid: string[] = [];
  const dashed: string[] = [];
  data.forEach((d, i) => {
    const prev = data[i - 1];
    if (i === 0 || d.value === null || prev.value === null) return;
    const step = `M${x(i - 1).toFixed(1)},${y(prev.value).toFixed(1)}L${x(i).toFixed(1)},${y(d.value).toFixed(1)}`;
    (d.partial || prev.partial ? dashed : solid).push(step);
  });
  // Week labels at least LABEL_GAP apart (a label is about 50 units wide, and its neighbour is
  // centred on its point), the first and the last always; one that would crowd the last is left out.
  const every = Math.max(1, Math.ceil(((data.length - 1) * LABEL_GAP) / plotW));
  const labelled = (i: number) => i === 0 || i === data.length - 1 || (i % every === 0 && data.length - 1 - i >= every);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} aria-hidden="true" data-chart={name} className="h-auto max-h-[220px] w-full">
      <g fontSize="12" fill="#475569">
        {ticks.map((t) => (
          <g key={t}>
            <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} stroke="#e2e8f0" />
            <text x={M.left - 6} y={y(t)} dy="0.32em" textAnchor="end">{tickText(t)}</text>
          </g>
        ))}
        <line x1={M.left} x2={W - M.right} y1={H - M.bottom} y2={H - M.bottom} stroke="#cbd5e1" />
        {data.map((d, i) =>
          labelled(i) ? (
            <text key={d.label} x={x(i)} y={H - 6} textAnchor={i === 0 ? "start" : i === data.length - 1 ? "end" : "middle"}>
              {d.label}
            </text>
          ) : null,
        )}
        {target !== null && <line x1={M.left} x2={W - M.right} y1={y(target)} y2={y(target)} stroke="#64748b" strokeDasharray="4 4" />}
      </g>
      {solid.length > 0 && <path d={solid.join("")} fill="none" stroke={color} strokeWidth={2} />}
      {dashed.length > 0 && <path d={dashed.join("")} fill="none" stroke={color} strokeWidth={2} strokeDasharray="5 4" />}
      {data.map((d, i) =>
        d.value === null ? null : (
          <circle key={d.label} cx={x(i)} cy={y(d.value)} r={d.partial ? 4 : 3} fill={d.partial ? "#fff" : color} stroke={color} strokeWidth={d.partial ? 2 : 0} data-partial={d.partial ? "" : undefined}>
            <title>{`Week of ${d.label}${d.partial ? ` (partial: ${partialWeekText(d.partial)})` : ""}: ${valueText(d.value)} (${d.count} orders)`}</title>
          </circle>
        ),
      )}
    </svg>
  );
}
