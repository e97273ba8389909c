import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { orderDetail } from "@/db/queries/orders";
import { can } from "@/lib/auth/policy";
import { requireActor } from "@/lib/auth/session";
import { formatDate, formatDateTime, formatDuration, formatRelative } from "@/lib/format";
import { describeEvent } from "@/lib/orders/commands";
import { displayValue, formDefaults } from "@/lib/orders/form";
import { deliveryAtRisk, formatOrderNumber, idSchema, openTodos, orderStateLabels, roleLabel, stage as stageDef, stageParticipants, stageKeys, stages, todoKey } from "@/lib/workflow";
import { Badge } from "@/components/ui/badge";
import { OrderStatusBadge } from "@/components/order-state-badge";
import { StageProgress } from "@/components/order/stage-progress";
import { AttachmentForm } from "./attachment-form";
import { InspectionForm } from "./inspection-form";
import { CancelForm, ReviseForm } from "./order-actions";
import { StageForm } from "./stage-form";
import { TodoList } from "./todo-list";

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
  const now = new Date();
  const current = stageDef(order.stage);
  const isActive = order.state === "active";
  const editable = isActive ? current.fields.filter((f) => f.key !== "qualityCheckResults" && can.order(actor, "editField", order, f.key)).map((f) => f.key) : [];
  const canComplete = can.order(actor, "completeStage", order);
  const readOnly = isActive ? current.fields.filter((f) => f.key !== "qualityCheckResults" && !editable.includes(f.key)) : [];
  const open = openTodos(order.stage, order.doneTodos).map((t) => t.label);
  const atRisk = isActive && deliveryAtRisk(order.stage, order.stageDueAt, order.requiredDeliveryDate, now);
  const earlier = order.state === "completed" ? stages : stages.slice(0, stageKeys.indexOf(order.stage));

  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href="/orders" className="text-indigo-700 underline hover:text-indigo-900">Orders</Link>
        <span className="text-slate-400"> / </span>
        <span>{formatOrderNumber(order.id)}</span>
      </nav>

      <header className="space-y-4 rounded-lg border border-slate-200 bg-white p-5">
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div className="min-w-0">
            <h1 className="text-2xl font-semibold">
              <span className="font-mono">{formatOrderNumber(order.id)}</span>
            </h1>
            <p className="mt-1 max-w-3xl text-slate-700">{order.productSummary}</p>
          </div>
          <div className="flex flex-wrap items-center gap-2">
            <Badge tone="indigo">{storeName}</Badge>
            <Badge tone={order.state === "active" ? "slate" : order.state === "onHold" ? "amber" : order.state === "completed" ? "emerald" : "slate"}>{orderStateLabels[order.state]}</Badge>
            <OrderStatusBadge state={order.state} stage={order.stage} stageEnteredAt={order.stageEnteredAt} now={now} />
            {atRisk && <Badge tone="rose">Delivery date at risk</Badge>}
          </div>
        </div>
        <StageProgress stage={order.stage} state={order.state} />
        <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2 lg:grid-cols-4">
          <div>
            <dt className="text-slate-500">Required delivery</dt>
            <dd className="font-medium">{order.requiredDeliveryDate ? formatDate(order.requiredDeliveryDate) : "—"}</dd>
          </div>
          {isActive && (
            <>
              <div>
                <dt className="text-slate-500">Time in stage</dt>
                <dd className="font-medium">{formatDuration(now.getTime() - order.stageEnteredAt.getTime())}</dd>
              </div>
              <div>
                <dt className="text-slate-500">Stage due</dt>
                <dd className="font-medium">{formatDateTime(order.stageDueAt)} ({formatRelative(order.stageDueAt, now)})</dd>
              </div>
            </>
          )}
          <div>
            <dt className="text-slate-500">Created</dt>
            <dd className="font-medium">{formatDateTime(order.createdAt)}</dd>
          </div>
        </dl>
        {atRisk && (
          <p className="text-sm text-rose-800">
            At the stage targets still ahead, this order would arrive after its required delivery date.
          </p>
        )}
      </header>

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

          {isActive && (
            <section aria-labelledby="current-title" className="space-y-5 rounded-lg border border-indigo-200 bg-white p-5 shadow-sm">
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <h2 id="current-title" className="text-lg font-semibold">
                  Stage {current.number}: {current.name}
                </h2>
                <p className="text-sm text-slate-600">
                  Owner {roleLabel(current.owner)} · workers {current.workers.map(roleLabel).join(", ")} · target {current.target.label}
                </p>
              </div>
              {readOnly.length > 0 && (
                <p className="rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-600">
                  Read-only for you: {readOnly.map((f) => `${f.label} (${(f.editors ?? stageParticipants(order.stage)).map(roleLabel).join(", ")})`).join("; ")}.
                </p>
              )}
              <StageForm orderId={order.id} version={order.version} stage={order.stage} defaults={formDefaults(order.fields)} editable={editable} canComplete={canComplete} openTodos={open} />

              {order.stage === "inProduction" && (
                <div className="space-y-3 border-t border-slate-100 pt-4">
                  <h3 className="font-semibold">Inspections</h3>
                  {detail.inspections.length === 0 ? (
                    <p className="text-sm text-slate-600">No inspection yet.</p>
                  ) : (
                    <ol className="space-y-1.5 text-sm">
                      {detail.inspections.map(({ inspection, inspectorName }) => (
                        <li key={inspection.id} className="flex flex-wrap items-center gap-2">
                          <Badge tone={inspection.result === "pass" ? "emerald" : "rose"}>{inspection.result === "pass" ? "Pass" : "Fail"}</Badge>
                          <span>{inspection.notes}</span>
                          <span className="text-slate-500">— {inspectorName}, {formatDateTime(inspection.createdAt)}</span>
                        </li>
                      ))}
                    </ol>
                  )}
                  {can.order(actor, "recordInspection", order) && <InspectionForm orderId={order.id} version={order.version} />}
                </div>
              )}

              <div className="space-y-2 border-t border-slate-100 pt-4">
                <h3 className="font-semibold">To-dos</h3>
                <TodoList
                  orderId={order.id}
                  version={order.version}
                  canToggle={can.order(actor, "toggleTodo", order)}
                  todos={current.todos.map((t) => ({ key: todoKey(order.stage, t.key), label: t.label, done: order.doneTodos.includes(todoKey(order.stage, t.key)) }))}
                />
              </div>
            </section>
          )}

          {earlier.length > 0 && (
            <section aria-labelledby="earlier-title" className="space-y-3">
              <h2 id="earlier-title" className="text-lg font-semibold">{order.state === "completed" ? "All stages" : "Earlier stages"}</h2>
              {earlier.map((s) => (
                <div key={s.key} className="rounded-lg border border-slate-200 bg-white p-4">
                  <h3 className="font-medium">{s.number}. {s.name}</h3>
                  <dl className="mt-2 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
                    {s.fields.map((f) => (
                      <div key={f.key}>
                        <dt className="text-slate-500">{f.label}</dt>
                        <dd className="whitespace-pre-line">{displayValue(f.key, order.fields) ?? "—"}</dd>
                      </div>
                    ))}
                  </dl>
                </div>
              ))}
            </section>
          )}
        </div>

        <aside className="space-y-6">
          <section aria-labelledby="attachments-title" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
            <h2 id="attachments-title" className="font-semibold">Attachments</h2>
            {detail.attachments.length === 0 ? (
              <p className="text-sm text-slate-600">No reference designs attached.</p>
            ) : (
              <ul className="space-y-1 text-sm">
                {detail.attachments.map((a) => (
                  <li key={a.id}>
                    <a href={`/orders/${order.id}/attachments/${a.id}`} className="text-indigo-700 underline hover:text-indigo-900">{a.filename}</a>
                    <span className="text-slate-500"> · {(a.size / 1024).toFixed(0)} KB</span>
                  </li>
                ))}
              </ul>
            )}
            {can.order(actor, "addAttachment", order) && <AttachmentForm orderId={order.id} version={order.version} />}
          </section>

          {can.order(actor, "cancelOrder", order) && <CancelForm orderId={order.id} version={order.version} />}

          <section aria-labelledby="history-title" className="rounded-lg border border-slate-200 bg-white p-4">
            <h2 id="history-title" className="font-semibold">History</h2>
            <ol className="mt-3 space-y-3 border-l border-slate-200 pl-4 text-sm">
              {detail.history.map(({ event, actorName }) => (
                <li key={event.id} className="relative">
                  <span className="absolute -left-[1.3rem] top-1.5 size-2 rounded-full bg-slate-400" aria-hidden="true" />
                  <p>{describeEvent(event)}</p>
                  <p className="text-xs text-slate-500">
                    {actorName ?? "System"} · <time dateTime={event.at.toISOString()}>{formatDateTime(event.at)}</time>
                    {event.stage && ` · ${stageDef(event.stage).name}`}
                  </p>
                </li>
              ))}
            </ol>
          </section>
        </aside>
      </div>
    </div>
  );
}
