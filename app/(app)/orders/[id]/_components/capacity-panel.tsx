import { Link } from "@/components/ui/link";
import { formatDate } from "@/lib/format";
import type { CapacityAround } from "@/lib/planning/check";

const dayFormat = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" });
const dayLabel = (day: string) => dayFormat.format(new Date(`${day}T00:00:00Z`));

/**
 * Beside the Production Schedule (SPEC.md "Planning with capacity"): the days around the stored
 * schedule (or the next two weeks without one), each with what other orders take, this order's
 * share and the shop's capacity, and the earliest planned end that fits. Computed on the server
 * for the stored schedule; a schedule being typed is checked when it is saved.
 */
export function CapacityPanel({ capacity }: { capacity: CapacityAround }) {
  const { days, fit, ratesSet, requiredDeliveryDate } = capacity;
  const late = fit && requiredDeliveryDate && fit.end > requiredDeliveryDate;
  return (
    <section aria-labelledby="capacity-around" className="space-y-2 rounded-md border border-slate-200 bg-slate-50 p-3 text-sm" data-testid="capacity-panel">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 id="capacity-around" className="font-semibold">
          Capacity around the schedule
        </h3>
        <Link href="/capacity" className="text-xs text-indigo-700 underline">
          Next 8 weeks
        </Link>
      </div>
      {!ratesSet ? (
        <p className="text-slate-600">No capacity set yet: an administrator sets it under Capacity.</p>
      ) : (
        <p className={late ? "font-medium text-amber-900" : "font-medium text-slate-800"} data-testid="earliest-fit">
          {fit
            ? `Earliest planned end that fits: ${formatDate(fit.end)}${fit.workingDays ? ` (${fit.workingDays} working day${fit.workingDays > 1 ? "s" : ""} from ${formatDate(fit.start)})` : ""}${late ? `, after the Required Delivery Date (${formatDate(requiredDeliveryDate)})` : ""}`
            : "No run of working days within a year fits this order at this length."}
        </p>
      )}
      <ul className="grid grid-cols-2 gap-1 sm:grid-cols-4 lg:grid-cols-7">
        {days.map((d) => {
          const total = d.load + d.mine;
          const over = d.capacity !== null && total > d.capacity;
          return (
            <li
              key={d.day}
              className={`rounded border px-2 py-1 ${over ? "border-rose-300 bg-rose-50 text-rose-900" : d.mine ? "border-indigo-300 bg-white" : "border-slate-200 bg-white"} ${d.working ? "" : "text-slate-500"}`}
            >
              <span className="block text-xs">{dayLabel(d.day)}</span>
              <span className="tabular-nums">
                {total}
                {d.capacity !== null ? `/${d.capacity}` : ""}
              </span>
              <span className="sr-only"> units</span>
              {d.mine > 0 && (
                <span className="ml-1 text-xs text-indigo-700">
                  <span className="sr-only">, of them this order&apos;s: </span>+{d.mine}
                </span>
              )}
              {over && <span className="ml-1 text-xs font-semibold">Over</span>}
              {!d.working && <span className="ml-1 text-xs">Day off</span>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
