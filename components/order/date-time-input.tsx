"use client";

import { type InputHTMLAttributes, useEffect, useState } from "react";

/** "YYYY-MM-DDTHH:MM" of an instant in the browser's time zone, as datetime-local shows it. */
function localValue(iso: string) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
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
  const [iso, setIso] = useState(defaultIso);
  const [local, setLocal] = useState("");
  // The browser's zone is known only in the browser: fill in after the first render.
  useEffect(() => {
    setLocal(localValue(defaultIso));
    setIso(defaultIso);
  }, [defaultIso]);
  return (
    <>
      <input
        {...rest}
        id={id}
        data-field={name}
        type="datetime-local"
        value={local}
        onChange={(e) => {
          setLocal(e.target.value);
          const d = new Date(e.target.value);
          setIso(e.target.value === "" ? "" : Number.isNaN(d.getTime()) ? e.target.value : d.toISOString());
        }}
      />
      <input type="hidden" name={name} value={iso} />
    </>
  );
}
