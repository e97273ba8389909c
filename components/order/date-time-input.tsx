"use client";

import { type InputHTMLAttributes, useEffect, useRef } from "react";

/** "YYYY-MM-DDTHH:MM" of an instant in the browser's time zone, as datetime-local shows it. */
function localValue(iso: string) {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * A date and time as the person reads it: shown and typed in the browser's time zone (the one
 * the account was detected in), sent as an ISO instant in the hidden input named `name`. The
 * visible control has no name (it is not sent), so the server never guesses which zone a wall
 * time meant; `data-field` tells the form which field it edits.
 */
export function DateTimeInput({ name, id, defaultIso, ...rest }: { name: string; id: string; defaultIso: string } & Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "id" | "defaultValue" | "type">) {
  const visible = useRef<HTMLInputElement>(null);
  const hidden = useRef<HTMLInputElement>(null);
  // The browser's zone is known only in the browser: the wall time is filled in after the first render.
  // A form reset (React resets a form after its action) puts back the default wall time too.
  useEffect(() => {
    const apply = () => {
      if (visible.current) visible.current.value = localValue(defaultIso);
      if (hidden.current) hidden.current.value = defaultIso;
    };
    apply();
    const form = visible.current?.form;
    const onReset = () => setTimeout(apply);
    form?.addEventListener("reset", onReset);
    return () => form?.removeEventListener("reset", onReset);
  }, [defaultIso]);
  return (
    <>
      <input
        {...rest}
        ref={visible}
        id={id}
        data-field={name}
        type="datetime-local"
        defaultValue=""
        onChange={(e) => {
          const d = new Date(e.target.value);
          if (hidden.current) hidden.current.value = e.target.value === "" ? "" : Number.isNaN(d.getTime()) ? e.target.value : d.toISOString();
        }}
      />
      <input ref={hidden} type="hidden" name={name} defaultValue={defaultIso} />
    </>
  );
}
