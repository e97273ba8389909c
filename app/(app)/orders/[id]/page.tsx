import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { orderDetail } from "@/db/queries/orders";
import { detailStepFacts } from "@/db/queries/next-step-sql";
import { commentsOf, currentAssignee, peopleWhoRead } from "@/db/queries/conversation";
import { hasUnreadFor } from "@/db/queries/notifications";
import { can } from "@/lib/auth/policy";
import { requireActor } from "@/lib/auth/session";
import { uploadLimits } from "@/lib/env";
import { formatDate } from "@/lib/format";
import { deliveryAtRisk, displayValue, fields, firstStage, formatOrderNumber, holdReason, idSchema, isDeliveryProblem, mayWorkStage, nextStep, stage as stageDef, stageOfField, todayIso, zoneFor } from "@/lib/workflow";
import { replacementDefaults } from "@/lib/orders/replacements";
import { loadStages as planningStages } from "@/lib/planning/capacity";
import { capacityAround, proposalDate } from "@/lib/planning/check";
import { Conversation } from "./_components/conversation";
import { LiveBanner } from "./_components/live-banner";
import { MarkReadOnOpen } from "./_components/mark-read-on-open";
import { StageAssignee } from "./_components/stage-assignee";
import { AttachmentsPanel } from "./_components/attachments-panel";
import { CurrentStage } from "./_components/current-stage";
import { EarlierStages } from "./_components/earlier-stages";
import { HistoryTimeline } from "./_components/history-timeline";
import { Inspections } from "./_components/inspections";
import { ProductionBrief } from "./_components/production-brief";
import { OrderHeader } from "./_components/order-header";
import { AcceptProposalForm, CancelForm, ProposeForm, ReplacementForm, ReviseForm } from "./_components/lazy";

type Params = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const id = idSchema.safeParse((await params).id);
  return { title: id.success ? formatOrderNumber(id.data) : "Order" };
}

export default async function OrderPage({ params }: Params) {
  const actor = await requireActor();
  const id = idSchema.safeParse((await params).id);
  if (!id.success) notFound();
  const db = await getDb();
  const detail = await orderDetail(db, id.data);
  // An order the account may not read does not exist for it.
  if (!detail || !can.order(actor, "readOrder", detail.order)) notFound();
  const { order, storeName } = detail;
  const [comments, readers, assignee, unread] = await Promise.all([commentsOf(db, order.id), peopleWhoRead(db, order.storeId), currentAssignee(db, order.id), hasUnreadFor(db, actor, order.id)]);
  const proposal = order.proposal;
  // The viewer's zone; a store manager reads the order's clocks in the store's zone.
  const zone = zoneFor(actor, detail.storeTimeZone);
  const now = new Date();
  const atRisk = order.state === "active" && deliveryAtRisk(order.stage, order.stageDueAt, order.requiredDeliveryDate, now);
  // The field kept as inspections, and whether the order is being made (the brief goes first then).
  const recorded = fields.find((f) => f.recordedAs === "inspection");
  const inProduction = order.state === "active" && recorded !== undefined && stageOfField(recorded.key) === order.stage;
  const step = nextStep(detailStepFacts(order, detail.inspections.map((i) => i.inspection)), { now, timeZone: zone });
  // A delivery gone wrong, on record; the store may order the goods again, once.
  const wentWrong = order.state === "completed" && isDeliveryProblem(order.fields);
  const mayReplace = wentWrong && !order.replacementOrderId && can.order(actor, "requestReplacement", order);
  // Planning with capacity (decision 027): the load around the schedule where dispatch plans, and
  // the earliest date that fits for a counter-proposal.
  const plans = order.state === "active" && can.viewCapacity(actor) && planningStages.includes(order.stage) && can.order(actor, "editField", order, "productionSchedule");
  const capacity = plans ? await capacityAround(db, order, now) : null;
  const suggested = can.order(actor, "proposeAlternative", order) ? await proposalDate(db, order, now) : null;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
        <nav aria-label="Breadcrumb">
          <Link href="/orders" className="text-indigo-700 underline hover:text-indigo-900">Orders</Link>
          <span className="text-slate-400"> / </span>
          <span>{formatOrderNumber(order.id)}</span>
        </nav>
        <Link href={`/orders/${order.id}/traveller`} className="text-indigo-700 underline hover:text-indigo-900">Print traveller</Link>
      </div>

      <OrderHeader order={order} storeName={storeName} atRisk={atRisk} now={now} zone={zone} step={step} />
      <LiveBanner orderId={order.id} version={order.version} />

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        {/* On a phone the current stage comes first, under the short header: it is what the page is opened for there. */}
        <div className="flex min-w-0 flex-col gap-6 lg:col-span-2">
          {order.state === "onHold" && (
            <section aria-labelledby="hold-title" className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-5">
              <h2 id="hold-title" className="text-lg font-semibold text-amber-900">On hold: {stageDef(order.stage).holdWhen?.label ?? `in ${stageDef(order.stage).name}`}</h2>
              <p className="text-sm text-amber-900 wrap-anywhere">{holdReason(order) || `Held in ${stageDef(order.stage).name}: no reason was given.`}</p>
              {proposal && (
                <div className="space-y-2 rounded-md border border-amber-300 bg-white p-3 text-sm" data-testid="proposal">
                  <p className="font-medium text-amber-900">Dispatch proposes an alternative</p>
                  <ul className="list-disc pl-5">
                    {proposal.requiredDeliveryDate && <li>Delivery by {formatDate(proposal.requiredDeliveryDate)} (asked: {order.requiredDeliveryDate ? formatDate(order.requiredDeliveryDate) : "—"})</li>}
                    {proposal.orderQuantity !== undefined && <li>Quantity {proposal.orderQuantity} (asked: {order.fields.orderQuantity ?? "—"})</li>}
                  </ul>
                  {proposal.note && <p className="wrap-anywhere">{proposal.note}</p>}
                  {can.order(actor, "acceptProposal", order) && <AcceptProposalForm orderId={order.id} version={order.version} />}
                </div>
              )}
              {can.order(actor, "proposeAlternative", order) && <ProposeForm orderId={order.id} version={order.version} today={todayIso()} suggested={suggested} />}
              {can.order(actor, "reviseOrder", order) && (
                <>
                  <p className="text-sm text-amber-900">
                    {proposal ? "Accept the proposal, or revise" : "Revise"} the order (it returns to Store Order for you to change and resubmit) or cancel it.
                  </p>
                  <ReviseForm orderId={order.id} version={order.version} />
                </>
              )}
            </section>
          )}
          {order.state === "cancelled" && (
            <section className="rounded-lg border border-slate-300 bg-slate-100 p-5 text-sm">
              <h2 className="text-lg font-semibold">Cancelled</h2>
              <p className="wrap-anywhere">{order.cancelReason}</p>
            </section>
          )}
          {wentWrong && (
            <section aria-labelledby="wrong-title" className="space-y-3 rounded-lg border border-rose-300 bg-rose-50 p-5">
              <h2 id="wrong-title" className="text-lg font-semibold text-rose-900">Received {displayValue("productCondition", order.fields)?.toLowerCase()}</h2>
              <p className="text-sm text-rose-900">{order.fields.conditionNote}</p>
              {order.replacementOrderId ? (
                <p className="text-sm">
                  A replacement was asked for: <Link href={`/orders/${order.replacementOrderId}`} className="font-mono text-indigo-700 underline">{formatOrderNumber(order.replacementOrderId)}</Link>
                </p>
              ) : mayReplace ? (
                <div className="space-y-3 rounded-md border border-rose-200 bg-white p-4">
                  <h3 className="font-semibold">Ask for a replacement</h3>
                  <p className="text-sm text-slate-600">A new order for the same goods, linked to this one, goes straight to dispatch. Change what should differ.</p>
                  <ReplacementForm orderId={order.id} version={order.version} fields={stageDef(firstStage).fields} defaults={replacementDefaults(order)} />
                </div>
              ) : null}
            </section>
          )}
          {inProduction && <ProductionBrief detail={detail} zone={zone} />}
          {order.state === "active" && (
            <StageAssignee
              orderId={order.id}
              version={order.version}
              assignee={assignee?.accountId ? { id: assignee.accountId, name: assignee.name ?? "" } : null}
              viewerId={actor.id}
              canClaim={can.order(actor, "claim", order)}
              canAssign={can.order(actor, "assign", order)}
              workers={readers.filter((p) => mayWorkStage(p, order)).map((p) => ({ id: p.id, name: p.name }))}
            />
          )}
          {order.state === "active" && (
            <div className="max-sm:order-first">
              <CurrentStage detail={detail} actor={actor} zone={zone} capacity={capacity} />
            </div>
          )}
          {!inProduction && recorded && detail.inspections.length > 0 && <Inspections detail={detail} def={recorded} canRecord={false} zone={zone} standalone />}
          <EarlierStages order={order} zone={zone} />
        </div>

        <aside className="min-w-0 space-y-6">
          {/* A stage that asks for photos takes them with its fields (the stage form), not here. */}
          <AttachmentsPanel detail={detail} canAdd={can.order(actor, "addAttachment", order) && !stageDef(order.stage).attachments?.images} limits={uploadLimits()} />
          {can.order(actor, "cancelOrder", order) && <CancelForm orderId={order.id} version={order.version} />}
          <Conversation orderId={order.id} comments={comments} readers={readers} viewerId={actor.id} canComment={can.order(actor, "comment", order)} zone={zone} now={now} />
          <HistoryTimeline history={detail.history} zone={zone} />
          {unread && <MarkReadOnOpen orderId={order.id} />}
        </aside>
      </div>
    </div>
  );
}
