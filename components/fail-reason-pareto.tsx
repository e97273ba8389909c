/** One bar of the Pareto: a reason, its failed inspections, and the orders behind them. */
export type ParetoBar = { label: string; failed: number; share: number; cumulative: number; href: string; archived: boolean };

const W = 600;
const H = 240;
const M = { top: 12, right: 44, bottom: 56, left: 40 };

/**
 * The fail reasons as a Pareto chart, drawn on the server as plain SVG like the trend charts:
 * bars of failed inspections per reason, most first, and the cumulative share as a line on the
 * right-hand scale. Each bar is a link to its orders; the page lists the same numbers as a table.
 */
export function FailReasonPareto({ bars }: { bars: ParetoBar[] }) {
  const most = Math.max(1, ...bars.map((b) => b.failed));
  const step = Math.max(1, Math.ceil(most / 4));
  const top = step * Math.ceil(most / step);
  const ticks = Array.from({ length: top / step + 1 }, (_, i) => i * step);
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const slot = plotW / Math.max(bars.length, 1);
  const barW = Math.min(64, slot * 0.7);
  const cx = (i: number) => M.left + slot * (i + 0.5);
  const y = (n: number) => M.top + plotH - (n / top) * plotH;
  const yShare = (s: number) => M.top + plotH - s * plotH;
  const line = bars.map((b, i) => `${i === 0 ? "M" : "L"}${cx(i).toFixed(1)},${yShare(b.cumulative).toFixed(1)}`).join("");
  return (
    <svg viewBox={`0 0 ${W} ${H}`} data-chart="Fail reasons" className="h-auto max-h-[260px] w-full" role="group" aria-label="Fail reasons, most first">
      <g fontSize="12" fill="#475569" aria-hidden="true">
        {ticks.map((t) => (
          <g key={t}>
            <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} stroke="#e2e8f0" />
            <text x={M.left - 6} y={y(t)} dy="0.32em" textAnchor="end">{t}</text>
          </g>
        ))}
        {[0, 0.5, 1].map((s) => (
          <text key={s} x={W - M.right + 6} y={yShare(s)} dy="0.32em">{`${s * 100}%`}</text>
        ))}
        <line x1={M.left} x2={W - M.right} y1={H - M.bottom} y2={H - M.bottom} stroke="#cbd5e1" />
      </g>
      {/* The link holds the bar alone, named in full; the labels beside it are drawing (a cut label would not match its name). */}
      {bars.map((b, i) => (
        <g key={b.label}>
          <a href={b.href} aria-label={`${b.label}: ${b.failed} failed inspection${b.failed === 1 ? "" : "s"}, show the orders`}>
            <rect x={cx(i) - barW / 2} y={y(b.failed)} width={barW} height={Math.max(1, y(0) - y(b.failed))} fill={b.archived ? "#fda4af" : "#e11d48"} data-failed={b.failed}>
              <title>{`${b.label}: ${b.failed} (${(b.share * 100).toFixed(1)} %)`}</title>
            </rect>
          </a>
          <g aria-hidden="true" fontSize="11" fill="#334155" textAnchor="middle">
            <text x={cx(i)} y={H - M.bottom + 16}>{b.label.length > 16 ? `${b.label.slice(0, 15)}…` : b.label}</text>
            <text x={cx(i)} y={y(b.failed) - 4}>{b.failed}</text>
          </g>
        </g>
      ))}
      <g aria-hidden="true">
        <path d={line} fill="none" stroke="#334155" strokeWidth={1.5} />
        {bars.map((b, i) => (
          <circle key={b.label} cx={cx(i)} cy={yShare(b.cumulative)} r={2.5} fill="#334155" />
        ))}
      </g>
    </svg>
  );
}
