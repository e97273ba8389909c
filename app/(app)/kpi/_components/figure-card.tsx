import type { ReactNode } from "react";
import { KpiStateBadge } from "@/components/kpi-state-badge";
import type { KpiState } from "@/lib/kpi/targets";
import { NO_DATA } from "@/lib/kpi/format";

const edges: Record<KpiState | "none", string> = {
  green: "border-t-emerald-500",
  amber: "border-t-amber-500",
  red: "border-t-rose-500",
  none: "border-t-slate-300",
};

/** One headline figure: value, target, state and what it is based on. */
export function FigureCard({
  id,
  title,
  value,
  target,
  state,
  detail,
  basis,
  untargeted = false,
}: {
  id: string;
  title: string;
  value: string;
  target: string;
  state: KpiState | null;
  detail?: ReactNode;
  basis: ReactNode;
  /** A figure the card names no target for: no state badge, and grey only when it has no value. */
  untargeted?: boolean;
}) {
  const empty = untargeted ? value === NO_DATA : !state;
  return (
    <section aria-labelledby={`${id}-title`} className={`flex flex-col rounded-lg border border-t-4 border-slate-200 bg-white p-4 shadow-sm ${edges[state ?? "none"]}`}>
      <div className="flex items-start justify-between gap-2">
        <h2 id={`${id}-title`} className="text-sm font-medium text-slate-600">
          {title}
        </h2>
        {!untargeted && <KpiStateBadge state={state} />}
      </div>
      <p className={`mt-2 text-3xl font-semibold tabular-nums tracking-tight ${empty ? "text-slate-500" : "text-slate-900"}`}>{value}</p>
      <p className="mt-1 text-sm text-slate-600">
        {untargeted ? (
          "No target on the card"
        ) : (
          <>
            Target <span className="font-medium text-slate-800">{target}</span>
          </>
        )}
      </p>
      {detail && <div className="mt-2 text-sm text-slate-700">{detail}</div>}
      <p className="mt-auto pt-3 text-xs text-slate-500">{basis}</p>
    </section>
  );
}
