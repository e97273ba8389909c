import { Link } from "@/components/ui/link";
import type { KpiReport } from "@/lib/kpi/queries";
import { stage } from "@/lib/workflow";

/** Work in progress by stage and what is overdue now, with a bar per stage; links open the orders. */
export function WorkNow({ now, ordersHref }: { now: KpiReport["now"]; ordersHref: (params: Record<string, string>) => string }) {
  const max = Math.max(1, ...now.stages.map((s) => s.wip));
  return (
    <div className="grid gap-4 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-[11rem_minmax(0,1fr)] md:gap-8">
      <dl className="grid grid-cols-3 gap-3 border-b border-slate-100 pb-4 md:grid-cols-1 md:content-start md:border-b-0 md:border-r md:pb-0">
        <Stat label="In progress" value={now.wip} href={ordersHref({ state: "active" })} />
        <Stat label="Overdue now" value={now.overdue} href={ordersHref({ sla: "overdue" })} tone={now.overdue ? "text-rose-700" : undefined} />
        <Stat label="On hold" value={now.onHold} href={ordersHref({ state: "onHold" })} tone={now.onHold ? "text-amber-800" : undefined} />
      </dl>
      <table className="w-full text-sm">
        <caption className="sr-only">Orders in each stage now, and how many of them are overdue</caption>
        <thead className="text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" className="py-2 pr-2">Stage</th>
            <th scope="col" className="w-2/5 py-2 pr-4"><span className="sr-only">Share of work in progress</span></th>
            <th scope="col" className="whitespace-nowrap py-2 pr-2 text-right">In progress</th>
            <th scope="col" className="py-2 text-right">Overdue</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {now.stages.map((s) => (
            <tr key={s.stage}>
              <th scope="row" className="py-2 pr-2 text-left font-normal text-slate-800">
                <Link href={ordersHref({ stage: s.stage, state: "active" })} className="hover:underline">
                  {stage(s.stage).number}. {stage(s.stage).name}
                </Link>
              </th>
              <td className="py-2 pr-4" aria-hidden="true">
                <div className="flex h-2.5 overflow-hidden rounded-full bg-slate-100">
                  <div className="bg-indigo-500" style={{ width: `${((s.wip - s.overdue) / max) * 100}%` }} />
                  <div className="bg-rose-500" style={{ width: `${(s.overdue / max) * 100}%` }} />
                </div>
              </td>
              <td className="py-2 pr-2 text-right tabular-nums">{s.wip}</td>
              <td className={`py-2 text-right tabular-nums ${s.overdue ? "font-medium text-rose-700" : "text-slate-500"}`}>{s.overdue}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Stat({ label, value, href, tone }: { label: string; value: number; href: string; tone?: string }) {
  return (
    <div>
      <dt className="text-xs font-medium text-slate-600">{label}</dt>
      <dd className={`text-2xl font-semibold tabular-nums ${tone ?? "text-slate-900"}`}>
        <Link href={href} className="hover:underline">
          {value.toLocaleString("en-GB")}
        </Link>
      </dd>
    </div>
  );
}
