"use client";

import { type InputHTMLAttributes, useEffect, useRef } from "react";

/** "YYYY-MM-DDTHH:MM" of an instant in the browser's time zone, as datetime-local shows it. */
function localValue(iso: string) {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The instant a wall time in the browser's zone means, as ISO; what was typed when it is none. */
function isoValue(local: string) {
  if (local === "") return "";
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? local : d.toISOString();
}

/**
 * A date and time as the person reads it: shown and typed in the browser's time zone (the one
 * the account was detected in), and submitted as an ISO instant under `name`, added to the form's
 * data at the moment it is submitted (the `formdata` event). The visible control has no name of
 * its own, so the server never guesses which zone a wall time meant; `data-field` tells the form
 * which field it edits.
 */
export function DateTimeInput({ name, id, defaultIso, ...rest }: { name: string; id: string; defaultIso: string } & Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "id" | "defaultValue" | "type">) {
  const visible = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const input = visible.current;
    const form = input?.form;
    if (!input || !form) return;
    // The browser's zone is known only in the browser: the wall time is filled in after the first
    // render, and again after a form reset (React resets a form after its action).
    const apply = () => (input.value = localValue(defaultIso));
    apply();
    const onReset = () => setTimeout(apply);
    const onFormData = (event: FormDataEvent) => {
      if (!input.disabled) event.formData.set(name, isoValue(input.value));
    };
    form.addEventListener("reset", onReset);
    form.addEventListener("formdata", onFormData);
    return () => {
      form.removeEventListener("reset", onReset);
      form.removeEventListener("formdata", onFormData);
    };
  }, [defaultIso, name]);
  return <input {...rest} ref={visible} id={id} data-field={name} type="datetime-local" defaultValue="" />;
}
