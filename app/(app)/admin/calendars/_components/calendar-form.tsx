"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { Field, FieldErrors, describedBy, inputClass } from "@/components/ui/field";
import { ActionFeedback } from "@/components/order/action-feedback";
import type { ActionState } from "@/lib/result";
import { saveCalendarAction } from "../actions";

type Day = { key: string; label: string };
type Stored = { week: ({ open: string; close: string } | null)[]; holidays: string[] } | null;

/**
 * One calendar: opening and closing per weekday (both empty: a day off) and the holidays, in the
 * shop's or the store's zone. A plain form: it works before the page's script loads.
 */
export function CalendarForm({ storeId, name, zone, weekdays, calendar }: { storeId?: number; name: string; zone: string; weekdays: readonly Day[]; calendar: Stored }) {
  const [state, action] = useActionState(saveCalendarAction, {} as ActionState);
  const err = state.fieldErrors ?? {};
  const v = state.ok ? undefined : state.values;
  const prefix = `cal-${storeId ?? "shop"}`;
  const id = (n: string) => `${prefix}-${n}`;
  const stored = (i: number, part: "open" | "close") => calendar?.week[i]?.[part] ?? "";
  return (
    <form action={action} className="space-y-4" noValidate aria-label={`Working calendar of ${name}`}>
      <input type="hidden" name="storeId" value={storeId ?? ""} />
      <ActionFeedback state={state} />
      <p className="text-sm text-slate-600">
        {storeId === undefined ? "In the shop's time zone" : "In the store's time zone"}, {zone.replaceAll("_", " ")}
        {storeId === undefined ? " (set with npm run setup)." : "."}
      </p>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">Working hours (leave both empty for a day off)</legend>
        <div className="space-y-2">
          {weekdays.map((d, i) => (
            <div key={d.key} className="grid grid-cols-2 items-start gap-x-2 gap-y-1 sm:grid-cols-[6rem_minmax(0,1fr)_minmax(0,1fr)]">
              <span className="col-span-2 text-sm text-slate-700 sm:col-span-1 sm:pt-2" id={id(`${d.key}-label`)}>
                {d.label}
              </span>
              {(["open", "close"] as const).map((part) => {
                const key = `${d.key}.${part}`;
                return (
                  <div key={part} className="min-w-0">
                    <label htmlFor={id(key)} className="sr-only">
                      {d.label} {part === "open" ? "opening" : "closing"}
                    </label>
                    <input
                      id={id(key)}
                      name={key}
                      type="time"
                      step={60}
                      defaultValue={v?.[key] ?? stored(i, part)}
                      className={`${inputClass} min-w-0`}
                      {...describedBy(id(key), { errors: err[key] })}
                    />
                    <FieldErrors id={id(key)} errors={err[key]} />
                  </div>
                );
              })}
            </div>
          ))}
        </div>
      </fieldset>
      <Field id={id("holidays")} label="Holidays" help="Days off as YYYY-MM-DD, separated by commas or lines." errors={err.holidays}>
        <textarea
          id={id("holidays")}
          name="holidays"
          rows={3}
          defaultValue={v?.holidays ?? calendar?.holidays.join("\n") ?? ""}
          className={inputClass}
          {...describedBy(id("holidays"), { help: "Days off as YYYY-MM-DD, separated by commas or lines.", errors: err.holidays })}
        />
      </Field>
      <SubmitButton variant="secondary" pendingText="Saving…">
        Save calendar
      </SubmitButton>
    </form>
  );
}
