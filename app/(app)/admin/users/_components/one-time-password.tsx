"use client";

import { useEffect, useRef, useState } from "react";
import { buttonClass } from "@/components/ui/styles";

/** A generated password, shown this once: it is not stored in the clear anywhere. */
export function OneTimePassword({ secret, email }: { secret: string; email: string }) {
  const [copied, setCopied] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  // Keyboard and screen-reader users land on the box: it is the one thing to act on now.
  useEffect(() => heading.current?.focus(), []);
  return (
    <section aria-labelledby="one-time-password-title" className="space-y-3 rounded-lg border-2 border-amber-400 bg-amber-50 p-4 text-sm text-amber-950">
      <div>
        <h2 id="one-time-password-title" ref={heading} tabIndex={-1} className="text-base font-semibold focus:outline-none">
          New password: copy it now
        </h2>
        <p>It is shown only this once. Hand it to the account holder yourself; they can change it under “Your account”.</p>
      </div>
      <dl className="grid gap-x-4 gap-y-1 sm:grid-cols-[6rem_1fr]">
        <dt className="font-medium">Email</dt>
        <dd className="break-all font-mono">{email}</dd>
        <dt className="font-medium">Password</dt>
        <dd>
          <code className="select-all break-all rounded bg-white px-2 py-1 font-mono text-base ring-1 ring-amber-300">{secret}</code>
        </dd>
      </dl>
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          className={buttonClass("secondary")}
          onClick={() => navigator.clipboard?.writeText(secret).then(() => setCopied(true), () => setCopied(false))}
        >
          Copy password
        </button>
        <span role="status" className="text-emerald-800">
          {copied ? "Copied" : ""}
        </span>
      </div>
    </section>
  );
}
