"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { LIVE_EVENT, type LiveChange } from "@/components/live/live-updates";
import { hasUnsavedInput } from "@/components/live/unsaved-input";

type Changes = { version: number; changes: string[] };

/**
 * The order page's part of live updates (decision 026). A colleague's change to this order
 * refreshes the page when nothing typed is waiting; with unsaved input it shows who changed what
 * ("Dana saved Special Requirements — Show") and waits for the person. Showing refreshes the page
 * around what was typed: the stage form keeps every field its person edited (stage-form.tsx).
 */
export function LiveBanner({ orderId, version }: { orderId: number; version: number }) {
  const router = useRouter();
  const [news, setNews] = useState<Changes | null>(null);
  const asked = useRef(0);

  // The page caught up (a save, a refresh): what the banner said is on screen now.
  const [seen, setSeen] = useState(version);
  if (seen !== version) {
    setSeen(version);
    if (news && news.version <= version) setNews(null);
  }

  useEffect(() => {
    const onChange = async (event: Event) => {
      const change = (event as CustomEvent<LiveChange>).detail;
      if (change.kind === "inbox") return;
      if (change.kind === "order" && change.orderId !== null && change.orderId !== orderId) return;
      event.preventDefault();
      if (!hasUnsavedInput()) return router.refresh();
      const run = ++asked.current;
      const response = await fetch(`/api/live/orders/${orderId}?since=${version}`, { cache: "no-store" }).catch(() => null);
      if (run !== asked.current || !response?.ok) return;
      const found = (await response.json()) as Changes;
      if (found.version > version) setNews(found);
      // A change that moved no version (a comment) shows as an update when it named this order.
      else if (change.orderId === orderId) setNews({ version, changes: ["Someone updated this order"] });
    };
    window.addEventListener(LIVE_EVENT, onChange);
    return () => window.removeEventListener(LIVE_EVENT, onChange);
  }, [orderId, version, router]);

  return (
    <div role="status" aria-live="polite">
      {news && (
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1 rounded-md border border-sky-300 bg-sky-50 px-4 py-2 text-sm text-sky-950">
          <span className="wrap-anywhere">{news.changes.join("; ")}</span>
          <span aria-hidden="true">—</span>
          <button
            type="button"
            className="rounded font-medium text-indigo-700 underline hover:text-indigo-900 focus-visible:outline-2 focus-visible:outline-indigo-600"
            onClick={() => {
              setNews(null);
              router.refresh();
            }}
          >
            Show
          </button>
          <span className="text-xs text-sky-800">Your unsaved input stays.</span>
        </div>
      )}
    </div>
  );
}
