import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { shopCalendarRow, storeCalendarRows } from "@/db/queries/calendars";
import { requireGrant } from "@/lib/auth/session";
import { weekdays } from "@/lib/stores/schemas";
import { Badge } from "@/components/ui/badge";
import { CalendarForm } from "./_components/calendar-form";

export const metadata: Metadata = { title: "Working calendars" };

/**
 * The shop's and each store's working hours and holidays (SPEC.md "Clocks that follow the plan
 * and the calendar"): hour targets count working hours of the stage owner's calendar, day
 * targets working days. One row per store: a bounded list, like the stores page.
 */
export default async function CalendarsPage() {
  await requireGrant("manageStores");
  const db = await getDb();
  const [shop, stores] = await Promise.all([shopCalendarRow(db), storeCalendarRows(db)]);
  const open = stores.filter((s) => !s.archived);
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">Working calendars</h1>
        <p className="max-w-prose text-sm text-slate-600">
          Stage clocks count working time: the shop&apos;s calendar for Receiving by Dispatch, In Production and Dispatching, the store&apos;s for Store Order and Store
          Received. Without working hours a calendar works around the clock. A change applies to stage clocks started or re-planned after it.
        </p>
      </div>
      <section aria-labelledby="shop-calendar" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 sm:p-6">
        <h2 id="shop-calendar" className="flex flex-wrap items-center gap-2 text-lg font-semibold">
          The shop <span className="text-sm font-normal text-slate-600">(dispatch, production, quality control)</span>
          {shop.calendar ? <Badge tone="indigo">Working hours</Badge> : <Badge tone="slate">Around the clock</Badge>}
        </h2>
        <CalendarForm name="The shop" zone={shop.timeZone} weekdays={weekdays} calendar={shop.calendar ? { week: shop.calendar.week, holidays: shop.calendar.holidays } : null} />
      </section>
      <section aria-labelledby="store-calendars" className="space-y-4">
        <h2 id="store-calendars" className="text-lg font-semibold">
          Stores
        </h2>
        {open.length === 0 ? (
          <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-slate-600">No open stores.</div>
        ) : (
          <ul className="grid gap-4 lg:grid-cols-2">
            {open.map((s) => (
              <li key={s.storeId}>
                <article aria-labelledby={`store-${s.storeId}-calendar`} className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 sm:p-5">
                  <h3 id={`store-${s.storeId}-calendar`} className="flex flex-wrap items-center gap-2 text-base font-semibold">
                    <span className="break-all">{s.name}</span>
                    {s.week ? <Badge tone="indigo">Working hours</Badge> : <Badge tone="slate">Around the clock</Badge>}
                  </h3>
                  <CalendarForm storeId={s.storeId} name={s.name} zone={s.timeZone} weekdays={weekdays} calendar={s.week ? { week: s.week, holidays: s.holidays ?? [] } : null} />
                </article>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
