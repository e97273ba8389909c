import { type OrderState, type SlaState, type StageKey, orderStateLabels, slaLabels, slaState } from "@/lib/workflow";
import { slaTones } from "./sla-badge";
import { Badge, type BadgeTone } from "./ui/badge";

/** What an order's status badge says, as plain data (for client components): its SLA when active, else its state. */
export type OrderStatus = { label: string; tone: BadgeTone; dot: boolean };

export function orderStatus(state: OrderState, stage: StageKey, stageEnteredAt: Date, now: Date): OrderStatus {
  if (state === "active") {
    const sla = slaState(stage, stageEnteredAt, now) as SlaState;
    return { label: slaLabels[sla], tone: slaTones[sla], dot: true };
  }
  return { label: orderStateLabels[state], tone: state === "onHold" ? "amber" : state === "completed" ? "emerald" : "slate", dot: false };
}

/** The SLA badge for active orders; the state for the others. */
export function OrderStatusBadge({ state, stage, stageEnteredAt, now }: { state: OrderState; stage: StageKey; stageEnteredAt: Date; now: Date }) {
  const s = orderStatus(state, stage, stageEnteredAt, now);
  return (
    <Badge tone={s.tone} dot={s.dot}>
      {s.label}
    </Badge>
  );
}
