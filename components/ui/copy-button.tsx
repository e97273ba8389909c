"use client";

import { useState } from "react";
import { buttonClass } from "@/components/ui/styles";

/** Copies a text (a curl example) to the clipboard; the text itself stays selectable without JavaScript. */
export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <span className="inline-flex items-center gap-2">
      <button type="button" className={buttonClass("secondary")} onClick={() => navigator.clipboard?.writeText(text).then(() => setCopied(true), () => setCopied(false))}>
        {label}
      </button>
      <span role="status" className="text-xs text-emerald-800">
        {copied ? "Copied" : ""}
      </span>
    </span>
  );
}
