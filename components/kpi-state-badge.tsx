import { type KpiState, kpiStateLabels } from "@/lib/kpi/targets";
import { Badge } from "./ui/badge";

const tones = { green: "emerald", amber: "amber", red: "rose" } as const;
const marks: Record<KpiState, string> = { green: "●", amber: "▲", red: "■" };

/** Green / amber / red against the target, in words as well as colour. */
export function KpiStateBadge({ state }: { state: KpiState | null }) {
  if (!state) return <Badge>No data</Badge>;
  return (
    <Badge tone={tones[state]}>
      <span aria-hidden="true" className="mr-1 text-[0.6rem]">
        {marks[state]}
      </span>
      {kpiStateLabels[state]}
    </Badge>
  );
}
