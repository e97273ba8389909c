"use client";

import { useState } from "react";
import { FieldErrors } from "@/components/ui/field";

export type CheckboxOption = { value: string; label: string; note?: string };

/**
 * A group of checkboxes submitted under one repeated name. The ticks are kept in state and
 * rendered as the boxes' defaults, so the reset React does after a form action puts back what
 * the person ticked rather than what the page first showed.
 */
export function CheckboxGroup({
  id,
  name,
  legend,
  options,
  initial,
  help,
  errors,
  required,
}: {
  id: string;
  name: string;
  legend: string;
  options: CheckboxOption[];
  initial: string[];
  help?: string;
  errors?: string[];
  required?: boolean;
}) {
  const [ticked, setTicked] = useState(initial);
  const describedBy = [help && `${id}-help`, errors?.length && `${id}-error`].filter(Boolean).join(" ") || undefined;
  return (
    <fieldset className="space-y-2" aria-describedby={describedBy}>
      <legend className="text-sm font-medium text-slate-800">
        {legend}
        {required && (
          <span className="ml-0.5 text-rose-600" aria-hidden="true">
            *
          </span>
        )}
      </legend>
      {help && (
        <p id={`${id}-help`} className="text-xs text-slate-500">
          {help}
        </p>
      )}
      {options.length === 0 ? (
        <p className="text-sm text-slate-500">None to choose from.</p>
      ) : (
        <ul className="grid gap-2 sm:grid-cols-2">
          {options.map((o) => {
            const optionId = `${id}-${o.value}`;
            return (
              <li key={o.value} className="flex items-start gap-2">
                <input
                  id={optionId}
                  name={name}
                  type="checkbox"
                  value={o.value}
                  defaultChecked={ticked.includes(o.value)}
                  onChange={(e) => {
                    const on = e.currentTarget.checked;
                    setTicked((t) => (on ? [...t, o.value] : t.filter((v) => v !== o.value)));
                  }}
                  aria-invalid={errors?.length ? true : undefined}
                  className="mt-0.5 size-5 shrink-0 rounded border-slate-300 text-indigo-600 focus:ring-indigo-500"
                />
                <label htmlFor={optionId} className="text-sm text-slate-800">
                  {o.label}
                  {o.note && <span className="block text-xs text-slate-500">{o.note}</span>}
                </label>
              </li>
            );
          })}
        </ul>
      )}
      <FieldErrors id={id} errors={errors} />
    </fieldset>
  );
}
