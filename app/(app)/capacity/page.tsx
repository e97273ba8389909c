import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { getDb } from "@/db/client";
import { can } from "@/lib/auth/policy";
import { requireGrant } from "@/lib/auth/session";
import { formatDate } from "@/lib/format";
import { capacityWeeks } from "@/lib/planning/check";
import { Badge } from "@/components/ui/badge";

export const metadata: Metadata = { title: "Capacity" };

const weekdayFormat = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" });
const dayLabel = (day: string) => weekdayFormat.format(new Date(`${day}T00:00:00Z`));

/**
 * Load against capacity for the next 8 weeks (SPEC.md "Planning with capacity"), by day and week,
 * from the load rollup: 56 rows of one index range, whatever the number of orders. Each day links
 * to the orders planned on it.
 */
export default async function CapacityPage() {
  const actor = await requireGrant("viewCapacity");
  const db = await getDb();
  const view = await capacityWeeks(db, new Date());
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Capacity</h1>
          <p className="max-w-prose text-sm text-slate-600">
            Units planned per day (each order&apos;s quantity spread over the working days of its Production Schedule, while it is planned or in production) against the
            shop&apos;s capacity, for the next 8 weeks. Days are in the shop&apos;s time zone, {view.zone.replaceAll("_", " ")}.
          </p>
        </div>
        {can.manageCapacity(actor) && (
          <Link href="/admin/capacity" className="text-sm font-medium text-indigo-700 underline">
            Set capacity
          </Link>
        )}
      </div>
      {!view.ratesSet && (
        <p role="status" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          No capacity set yet: the load is shown without a limit{can.manageCapacity(actor) ? "." : " (an administrator sets it)."}
        </p>
      )}
      <ol className="space-y-4">
        {view.weeks.map((w) => (
          <li key={w.start}>
            <section aria-labelledby={`week-${w.start}`} className="rounded-lg border border-slate-200 bg-white">
              <h2 id={`week-${w.start}`} className="flex flex-wrap items-center gap-2 border-b border-slate-100 px-4 py-2 text-sm font-semibold">
                Week of {formatDate(w.start)}
                <span className="font-normal text-slate-600" data-testid="week-total">
                  {w.load} {w.capacity !== null ? `of ${w.capacity} units` : "units"}
                </span>
                {w.over > 0 && <Badge tone="rose">{w.over} overloaded day{w.over > 1 ? "s" : ""}</Badge>}
              </h2>
              <ul className="grid grid-cols-1 divide-y divide-slate-100 sm:grid-cols-7 sm:divide-x sm:divide-y-0">
                {w.days.map((d) => {
                  const share = d.capacity ? Math.min(100, Math.round((d.load / d.capacity) * 100)) : d.load > 0 ? 100 : 0;
                  return (
                    <li key={d.day} data-day={d.day} className={`px-3 py-2 text-sm ${d.over ? "bg-rose-50" : d.working ? "" : "bg-slate-50 text-slate-500"} ${d.day === view.today ? "ring-2 ring-inset ring-indigo-300" : ""}`}>
                      <Link href={`/orders?view=all&plannedOn=${d.day}`} className="block min-h-10 rounded hover:bg-slate-50 focus-visible:outline-2">
                        <span className="flex items-baseline justify-between gap-2 sm:block">
                          <span className="font-medium">{dayLabel(d.day)}</span>
                          <span className={`tabular-nums sm:block ${d.over ? "font-semibold text-rose-800" : ""}`}>
                            {d.load}
                            {d.capacity !== null ? ` / ${d.capacity}` : ""}
                            {d.over && <span className="ml-1 text-xs">Overloaded</span>}
                            {!d.working && <span className="ml-1 text-xs">Day off</span>}
                            <span className="sr-only"> units: orders planned on this day</span>
                          </span>
                        </span>
                        <span className="mt-1 block h-1.5 rounded bg-slate-100" aria-hidden="true">
                          <span className={`block h-1.5 rounded ${d.over ? "bg-rose-500" : "bg-indigo-500"}`} style={{ width: `${share}%` }} />
                        </span>
                      </Link>
                    </li>
                  );
                })}
              </ul>
            </section>
          </li>
        ))}
      </ol>
    </div>
  );
}
