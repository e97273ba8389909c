import { type OrderState, type SlaState, type StageKey, orderStateLabels, slaState } from "@/lib/workflow";
import { SlaBadge } from "./sla-badge";
import { Badge } from "./ui/badge";

/** The SLA badge for active orders; the state for the others. */
export function OrderStatusBadge({ state, stage, stageEnteredAt, now }: { state: OrderState; stage: StageKey; stageEnteredAt: Date; now: Date }) {
  if (state === "active") return <SlaBadge state={slaState(stage, stageEnteredAt, now) as SlaState} />;
  const tone = state === "onHold" ? "amber" : state === "completed" ? "emerald" : "slate";
  return <Badge tone={tone}>{orderStateLabels[state]}</Badge>;
}
