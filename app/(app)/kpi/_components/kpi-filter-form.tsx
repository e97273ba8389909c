"use client";

import { useRef } from "react";
import { Link } from "@/components/ui/link";
import { describedBy, FieldErrors, inputClass } from "@/components/ui/field";
import { buttonClass } from "@/components/ui/styles";
import { type KpiPeriod, kpiPeriodLabels, kpiPeriods } from "@/lib/kpi/periods";

type Props = {
  values: { period: KpiPeriod; from: string; to: string; store: string };
  errors: Record<string, string[]>;
  stores: { id: number; name: string }[];
};

/**
 * A plain GET form, so the filter lives in the URL and a link can be shared. The one bit of
 * script: picking a date switches the period to "Custom range"; without script it is chosen by hand.
 */
export function KpiFilterForm({ values, errors, stores }: Props) {
  const period = useRef<HTMLSelectElement>(null);
  const toCustom = () => {
    if (period.current) period.current.value = "custom";
  };
  return (
    <form method="get" action="/kpi" role="search" aria-label="KPI filter" className="flex flex-wrap items-start gap-3 rounded-lg border border-slate-200 bg-white p-4">
      <div className="w-full sm:w-44">
        <label htmlFor="period" className="block text-xs font-medium text-slate-600">
          Period
        </label>
        <select ref={period} id="period" name="period" defaultValue={values.period} className={inputClass}>
          {kpiPeriods.map((p) => (
            <option key={p} value={p}>
              {kpiPeriodLabels[p]}
            </option>
          ))}
        </select>
      </div>
      <div className="w-[calc(50%-0.375rem)] sm:w-40">
        <label htmlFor="from" className="block text-xs font-medium text-slate-600">
          From
        </label>
        <input id="from" name="from" type="date" defaultValue={values.from} onChange={toCustom} className={inputClass} {...describedBy("from", { errors: errors.from })} />
        <FieldErrors id="from" errors={errors.from} />
      </div>
      <div className="w-[calc(50%-0.375rem)] sm:w-40">
        <label htmlFor="to" className="block text-xs font-medium text-slate-600">
          To
        </label>
        <input id="to" name="to" type="date" defaultValue={values.to} onChange={toCustom} className={inputClass} {...describedBy("to", { errors: errors.to })} />
        <FieldErrors id="to" errors={errors.to} />
      </div>
      {stores.length > 1 && (
        <div className="w-full sm:w-44">
          <label htmlFor="store" className="block text-xs font-medium text-slate-600">
            Store
          </label>
          <select id="store" name="store" defaultValue={values.store} className={inputClass}>
            <option value="">All stores</option>
            {stores.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </div>
      )}
      {/* Level with the fields below their labels, however long an error message grows. */}
      <div className="flex gap-2 pt-4">
        <button type="submit" className={buttonClass()}>
          Apply
        </button>
        <Link href="/kpi" className={buttonClass("secondary")}>
          Reset
        </Link>
      </div>
    </form>
  );
}
