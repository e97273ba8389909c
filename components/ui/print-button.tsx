"use client";

import { buttonClass } from "./styles";

/** Opens the browser's print dialog; the page prints as it is without it (Ctrl+P). */
export function PrintButton({ label = "Print" }: { label?: string }) {
  return (
    <button type="button" onClick={() => window.print()} className={buttonClass()}>
      {label}
    </button>
  );
}
