import { type SlaState, slaLabels } from "@/lib/workflow";

const styles: Record<SlaState, string> = {
  onTrack: "bg-emerald-50 text-emerald-800 ring-emerald-600/20",
  atRisk: "bg-amber-50 text-amber-900 ring-amber-600/30",
  overdue: "bg-rose-50 text-rose-800 ring-rose-600/20",
};
const dots: Record<SlaState, string> = { onTrack: "bg-emerald-500", atRisk: "bg-amber-500", overdue: "bg-rose-500" };

export function SlaBadge({ state }: { state: SlaState }) {
  return (
    <span className={`inline-flex items-center gap-1.5 whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${styles[state]}`}>
      <span className={`size-1.5 rounded-full ${dots[state]}`} aria-hidden="true" />
      {slaLabels[state]}
    </span>
  );
}
