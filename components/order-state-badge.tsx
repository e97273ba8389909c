import { type OrderState, type StageKey, clockState, orderStateLabels, slaLabels, storedClock } from "@/lib/workflow";
import { slaTones } from "./sla-badge";
import { Badge, type BadgeTone } from "./ui/badge";

/** What an order's status badge says, as plain data (for client components): its SLA when active, else its state. */
export type OrderStatus = { label: string; tone: BadgeTone; dot: boolean };

/** An order with its stored clock (lib/workflow/clock.ts). */
type ClockedOrder = { state: OrderState; stage: StageKey; stageEnteredAt: Date; stageDueAt: Date; stageRiskAt?: Date | null };

export function orderStatus(order: ClockedOrder, now: Date): OrderStatus {
  if (order.state === "active") {
    const sla = clockState(storedClock(order), now);
    return { label: slaLabels[sla], tone: slaTones[sla], dot: true };
  }
  return { label: orderStateLabels[order.state], tone: order.state === "onHold" ? "amber" : order.state === "completed" ? "emerald" : "slate", dot: false };
}

/** The SLA badge for active orders, from the stored clock; the state for the others. */
export function OrderStatusBadge({ order, now }: { order: ClockedOrder; now: Date }) {
  const s = orderStatus(order, now);
  return (
    <Badge tone={s.tone} dot={s.dot}>
      {s.label}
    </Badge>
  );
}
