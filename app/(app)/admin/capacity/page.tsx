import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { getDb } from "@/db/client";
import { requireGrant } from "@/lib/auth/session";
import { formatDate } from "@/lib/format";
import { capacityRateRows, shopCalendar } from "@/lib/planning/load";
import { zoneToday } from "@/lib/time/calendar";
import { Badge } from "@/components/ui/badge";
import { RemoveCapacityForm, SetCapacityForm } from "./_components/capacity-forms";

export const metadata: Metadata = { title: "Production capacity" };

/**
 * The shop's production capacity (SPEC.md "Planning with capacity"): units per working day of the
 * shop's calendar, with dated changes. A short list: one row per change.
 */
export default async function CapacityAdminPage() {
  await requireGrant("manageCapacity");
  const db = await getDb();
  const [rates, cal] = await Promise.all([capacityRateRows(db), shopCalendar(db)]);
  const today = zoneToday(cal.zone);
  const current = rates.filter((r) => r.effectiveFrom <= today).at(-1);
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">Production capacity</h1>
        <p className="max-w-prose text-sm text-slate-600">
          How many units the shop makes per working day of its <Link href="/admin/calendars" className="text-indigo-700 underline">working calendar</Link>. An order&apos;s
          quantity is spread over the working days of its Production Schedule; dispatch sees the load against this capacity when it plans, on the{" "}
          <Link href="/capacity" className="text-indigo-700 underline">capacity view</Link>. A later date is a dated change, such as a new machine from 1 March.
        </p>
      </div>
      <section aria-labelledby="capacity-set" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 sm:p-6">
        <h2 id="capacity-set" className="text-lg font-semibold">
          Set capacity from a date
        </h2>
        <SetCapacityForm today={today} />
      </section>
      <section aria-labelledby="capacity-rates" className="space-y-3">
        <h2 id="capacity-rates" className="text-lg font-semibold">
          Rates and dated changes
        </h2>
        {rates.length === 0 ? (
          <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-slate-600">No capacity set: dispatch plans without a limit.</div>
        ) : (
          <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
            {rates.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3">
                <p className="text-sm">
                  From <strong>{formatDate(r.effectiveFrom)}</strong>: {r.unitsPerDay} units per working day{" "}
                  {r.id === current?.id ? <Badge tone="indigo">In force</Badge> : r.effectiveFrom > today ? <Badge tone="amber">Coming</Badge> : <Badge tone="slate">Past</Badge>}
                </p>
                <RemoveCapacityForm effectiveFrom={r.effectiveFrom} label={formatDate(r.effectiveFrom)} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
