import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { getDb } from "@/db/client";
import { MY_WORK_LIMIT, myWork } from "@/db/queries/orders";
import { stepFacts } from "@/db/queries/next-step-sql";
import { requireActor } from "@/lib/auth/session";
import { formatDate } from "@/lib/format";
import { formatOrderNumber, nextStep, stage, zoneFor } from "@/lib/workflow";
import { OrderStatusBadge } from "@/components/order-state-badge";

export const metadata: Metadata = { title: "My work" };

/**
 * "My work": the open orders whose next step is this account's (its role has it) or whose stage
 * is assigned to it, in the order of their next steps, soonest due first within each.
 */
export default async function MyWorkPage() {
  const actor = await requireActor();
  const db = await getDb();
  const now = new Date();
  const { rows, total } = await myWork(db, actor, now);
  const zone = zoneFor(actor);
  const shown = rows.map((o) => ({ ...o, step: nextStep(stepFacts(o), { now, timeZone: zone }) }));

  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-2xl font-semibold">My work</h1>
        <p className="text-sm text-slate-600">
          Orders whose next step is yours, by next step, soonest due first.
          {total > MY_WORK_LIMIT ? ` The first ${MY_WORK_LIMIT} of ${total.toLocaleString("en-GB")}.` : ` ${total} order${total === 1 ? "" : "s"}.`}
        </p>
      </div>
      {shown.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-12 text-center text-slate-600">Nothing waits for you. Well done.</div>
      ) : (
        <ol className="space-y-2" aria-label="My work">
          {shown.map((o, i) => (
            <li key={o.id}>
              {(i === 0 || shown[i - 1].stage !== o.stage) && (
                <h2 className="mb-1 mt-4 text-sm font-semibold text-slate-700">
                  {stage(o.stage).number}. {stage(o.stage).name}
                </h2>
              )}
              <Link href={`/orders/${o.id}`} className="flex flex-wrap items-center gap-x-4 gap-y-1 rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm shadow-sm hover:bg-slate-50">
                <span className="font-mono font-medium text-indigo-700">{formatOrderNumber(o.id)}</span>
                <span className="font-medium text-slate-900" data-testid="next-step">{o.step.label}</span>
                <span className="min-w-0 flex-1 truncate text-slate-700">
                  {o.productSummary}
                  {o.quantity ? <span className="text-slate-500"> × {o.quantity}</span> : null} · {o.storeName}
                </span>
                <OrderStatusBadge order={o} now={now} />
                <span className="text-xs text-slate-600">Deliver by {o.requiredDeliveryDate ? formatDate(o.requiredDeliveryDate) : "—"}</span>
              </Link>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
