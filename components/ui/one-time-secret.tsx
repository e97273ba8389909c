"use client";

import { type ReactNode, useEffect, useId, useRef, useState } from "react";
import { buttonClass } from "@/components/ui/styles";

/**
 * A secret shown this once (an API key, a signing secret, a generated password): only its hash,
 * or nothing, is shown again. `children` lay the secret out otherwise (a password beside its email).
 */
export function OneTimeSecret({ title, explanation, label, secret, copyLabel = "Copy", children }: { title: string; explanation: string; label?: string; secret: string; copyLabel?: string; children?: ReactNode }) {
  const [copied, setCopied] = useState(false);
  const titleId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  // Keyboard and screen-reader users land on the box: it is the one thing to act on now.
  useEffect(() => heading.current?.focus(), []);
  return (
    <section aria-labelledby={titleId} className="space-y-3 rounded-lg border-2 border-amber-400 bg-amber-50 p-4 text-sm text-amber-950">
      <div>
        <h2 id={titleId} ref={heading} tabIndex={-1} className="text-base font-semibold focus:outline-none">
          {title}
        </h2>
        <p>{explanation}</p>
      </div>
      {children ?? (
        <>
          <p className="font-medium">{label}</p>
          <code data-testid="one-time-secret" className="block select-all break-all rounded bg-white px-2 py-1 font-mono text-base ring-1 ring-amber-300">
            {secret}
          </code>
        </>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" className={buttonClass("secondary")} onClick={() => navigator.clipboard?.writeText(secret).then(() => setCopied(true), () => setCopied(false))}>
          {copyLabel}
        </button>
        <span role="status" className="text-emerald-800">
          {copied ? "Copied" : ""}
        </span>
      </div>
    </section>
  );
}
