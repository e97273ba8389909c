import { type SlaState, slaLabels } from "@/lib/workflow";
import { Badge, type BadgeTone } from "./ui/badge";

export const slaTones: Record<SlaState, BadgeTone> = { onTrack: "emerald", atRisk: "amber", overdue: "rose" };

export function SlaBadge({ state }: { state: SlaState }) {
  return (
    <Badge tone={slaTones[state]} dot>
      {slaLabels[state]}
    </Badge>
  );
}
