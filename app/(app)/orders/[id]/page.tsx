import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { orderDetail } from "@/db/queries/orders";
import { can } from "@/lib/auth/policy";
import { requireActor } from "@/lib/auth/session";
import { uploadLimits } from "@/lib/env";
import { deliveryAtRisk, fields, formatOrderNumber, idSchema, stageOfField, zoneFor } from "@/lib/workflow";
import { AttachmentsPanel } from "./_components/attachments-panel";
import { CurrentStage } from "./_components/current-stage";
import { EarlierStages } from "./_components/earlier-stages";
import { HistoryTimeline } from "./_components/history-timeline";
import { Inspections } from "./_components/inspections";
import { ProductionBrief } from "./_components/production-brief";
import { CancelForm, ReviseForm } from "./_components/order-actions";
import { OrderHeader } from "./_components/order-header";

type Params = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const id = idSchema.safeParse((await params).id);
  return { title: id.success ? formatOrderNumber(id.data) : "Order" };
}

export default async function OrderPage({ params }: Params) {
  const actor = await requireActor();
  const id = idSchema.safeParse((await params).id);
  if (!id.success) notFound();
  const detail = await orderDetail(await getDb(), id.data);
  // An order the account may not read does not exist for it.
  if (!detail || !can.order(actor, "readOrder", detail.order)) notFound();
  const { order, storeName } = detail;
  // The viewer's zone; a store manager reads the order's clocks in the store's zone.
  const zone = zoneFor(actor, detail.storeTimeZone);
  const now = new Date();
  const atRisk = order.state === "active" && deliveryAtRisk(order.stage, order.stageDueAt, order.requiredDeliveryDate, now);
  // The field kept as inspections, and whether the order is being made (the brief goes first then).
  const recorded = fields.find((f) => f.recordedAs === "inspection");
  const inProduction = order.state === "active" && recorded !== undefined && stageOfField(recorded.key) === order.stage;

  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/orders" className="text-indigo-700 underline hover:text-indigo-900">Orders</Link>
        <span className="text-slate-400"> / </span>
        <span>{formatOrderNumber(order.id)}</span>
      </nav>

      <OrderHeader order={order} storeName={storeName} atRisk={atRisk} now={now} zone={zone} />

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          {order.state === "onHold" && (
            <section aria-labelledby="hold-title" className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-5">
              <h2 id="hold-title" className="text-lg font-semibold text-amber-900">On hold: not feasible</h2>
              <p className="text-sm text-amber-900">{order.fields.orderFeasibility?.reason || "Dispatch found the order cannot be fulfilled."}</p>
              {can.order(actor, "reviseOrder", order) && (
                <>
                  <p className="text-sm text-amber-900">Revise the order (it returns to Store Order for you to change and resubmit) or cancel it.</p>
                  <ReviseForm orderId={order.id} version={order.version} />
                </>
              )}
            </section>
          )}
          {order.state === "cancelled" && (
            <section className="rounded-lg border border-slate-300 bg-slate-100 p-5 text-sm">
              <h2 className="text-lg font-semibold">Cancelled</h2>
              <p>{order.cancelReason}</p>
            </section>
          )}
          {inProduction && <ProductionBrief detail={detail} zone={zone} />}
          {order.state === "active" && <CurrentStage detail={detail} actor={actor} zone={zone} />}
          {!inProduction && recorded && detail.inspections.length > 0 && <Inspections detail={detail} def={recorded} canRecord={false} zone={zone} standalone />}
          <EarlierStages order={order} zone={zone} />
        </div>

        <aside className="space-y-6">
          <AttachmentsPanel detail={detail} canAdd={can.order(actor, "addAttachment", order)} limits={uploadLimits()} />
          {can.order(actor, "cancelOrder", order) && <CancelForm orderId={order.id} version={order.version} />}
          <HistoryTimeline history={detail.history} zone={zone} />
        </aside>
      </div>
    </div>
  );
}
