"use client";

import { useEffect, useRef, useState } from "react";
import { buttonClass } from "@/components/ui/styles";

/** A secret shown this once (an API key, a signing secret): only its hash, or nothing, is shown again. */
export function OneTimeSecret({ title, explanation, label, secret }: { title: string; explanation: string; label: string; secret: string }) {
  const [copied, setCopied] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  // Keyboard and screen-reader users land on the box: it is the one thing to act on now.
  useEffect(() => heading.current?.focus(), []);
  return (
    <section aria-labelledby="one-time-secret-title" className="space-y-3 rounded-lg border-2 border-amber-400 bg-amber-50 p-4 text-sm text-amber-950">
      <div>
        <h2 id="one-time-secret-title" ref={heading} tabIndex={-1} className="text-base font-semibold focus:outline-none">
          {title}
        </h2>
        <p>{explanation}</p>
      </div>
      <p className="font-medium">{label}</p>
      <code data-testid="one-time-secret" className="block select-all break-all rounded bg-white px-2 py-1 font-mono text-base ring-1 ring-amber-300">
        {secret}
      </code>
      <div className="flex flex-wrap items-center gap-3">
        <button type="button" className={buttonClass("secondary")} onClick={() => navigator.clipboard?.writeText(secret).then(() => setCopied(true), () => setCopied(false))}>
          Copy
        </button>
        <span role="status" className="text-emerald-800">
          {copied ? "Copied" : ""}
        </span>
      </div>
    </section>
  );
}
