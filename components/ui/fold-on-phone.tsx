"use client";

import { type ReactNode, useState } from "react";
import { buttonClass } from "./styles";

/**
 * Filters folded behind a button on a phone, always open from the tablet width up. The button
 * says what it shows and whether it is open; the content stays in the page for screen readers
 * and for a form without JavaScript on wider screens.
 */
export function FoldOnPhone({ label, active, children }: { label: string; active?: number; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  return (
    <div>
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)} className={`${buttonClass("secondary")} md:hidden`}>
        {label}
        {active ? ` (${active})` : ""}
      </button>
      <div className={`${open ? "mt-3 block" : "hidden"} md:mt-0 md:block`}>{children}</div>
    </div>
  );
}
