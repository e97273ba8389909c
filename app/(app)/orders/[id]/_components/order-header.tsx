import { Badge } from "@/components/ui/badge";
import { OrderStatusBadge } from "@/components/order-state-badge";
import { StageProgress } from "@/components/order/stage-progress";
import type { Order } from "@/db/schema";
import { formatDate, formatDateTime, formatDuration, formatRelative } from "@/lib/format";
import { Link } from "@/components/ui/link";
import { type NextStep, formatOrderNumber } from "@/lib/workflow";

/** Number, summary, store, one status badge (the SLA while active, the state otherwise), stage progress and the clock. */
export function OrderHeader({ order, storeName, atRisk, now, zone, step }: { order: Order; storeName: string; atRisk: boolean; now: Date; zone: string; step: NextStep }) {
  const isActive = order.state === "active";
  return (
    // On a phone the header is short (the stage form follows it): two lines of summary, the two dates that matter.
    <header className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 sm:space-y-4 sm:p-5">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold">
            <span className="font-mono">{formatOrderNumber(order.id)}</span>
          </h1>
          <p className="mt-1 max-w-3xl text-slate-700 wrap-anywhere max-sm:line-clamp-2">{order.productSummary}</p>
          <p className="mt-1 text-sm font-medium text-slate-900" data-testid="next-step">
            <span className="text-slate-500">Next: </span>
            {step.label}
          </p>
          {(order.replacesOrderId || order.replacementOrderId) && (
            <p className="mt-1 text-sm text-rose-800">
              {order.replacesOrderId && (
                <>Replacement for <Link href={`/orders/${order.replacesOrderId}`} className="font-mono underline">{formatOrderNumber(order.replacesOrderId)}</Link></>
              )}
              {order.replacementOrderId && (
                <>Replaced by <Link href={`/orders/${order.replacementOrderId}`} className="font-mono underline">{formatOrderNumber(order.replacementOrderId)}</Link></>
              )}
            </p>
          )}
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <Badge tone="indigo">{storeName}</Badge>
          <OrderStatusBadge order={order} now={now} />
          {atRisk && <Badge tone="rose">Delivery date at risk</Badge>}
        </div>
      </div>
      <StageProgress stage={order.stage} state={order.state} />
      <dl className="grid grid-cols-2 gap-x-6 gap-y-2 text-sm lg:grid-cols-4">
        <div>
          <dt className="text-slate-500">Required delivery</dt>
          <dd className="font-medium">{order.requiredDeliveryDate ? formatDate(order.requiredDeliveryDate) : "—"}</dd>
        </div>
        {isActive && (
          <>
            <div className="max-sm:hidden">
              <dt className="text-slate-500">Time in stage</dt>
              <dd className="font-medium">{formatDuration(now.getTime() - order.stageEnteredAt.getTime())}</dd>
            </div>
            <div>
              <dt className="text-slate-500">Stage due</dt>
              <dd className="font-medium">{formatDateTime(order.stageDueAt, zone)} ({formatRelative(order.stageDueAt, now)})</dd>
            </div>
          </>
        )}
        <div className="max-sm:hidden">
          <dt className="text-slate-500">Created</dt>
          <dd className="font-medium">{formatDateTime(order.createdAt, zone)}</dd>
        </div>
      </dl>
      {atRisk && (
        <p className="text-sm text-rose-800">
          At the stage targets still ahead, this order would arrive after its required delivery date.
        </p>
      )}
    </header>
  );
}
