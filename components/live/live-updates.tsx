"use client";

import { usePathname, useRouter } from "next/navigation";
import { useEffect } from "react";
import { hasUnsavedInput } from "./unsaved-input";

/** What a page component hears from the stream: `orderId` is null when the change is not named (polling, a gap). */
export type LiveChange = { kind: "order" | "inbox" | "all"; orderId: number | null };
export const LIVE_EVENT = "makeline:live";

/** Pages that list orders and refresh on any change to one the account may read. */
const listsOrders = (path: string) => path === "/board" || path === "/orders" || path === "/work" || path === "/inbox";

/** How long a change waits for the next: a burst (a bulk action, an automation pass) is one refresh. */
const SETTLE_MS = 250;
/** After the browser gave up on the stream (signed out, a server error): when to try again. */
const REOPEN_MS = 30_000;

/**
 * Keeps the open page current (decision 026): while the tab is visible it follows /api/live
 * (Server-Sent Events, or short polls where the server says so) and refreshes the page through
 * its own server render when something it shows changed. A page with unsaved input is never
 * refreshed under the person: the order page shows a banner instead (LiveBanner), and elsewhere
 * the refresh waits until the input is saved or gone. A page component may take a change for
 * itself by cancelling the `makeline:live` window event.
 */
export function LiveUpdates() {
  const router = useRouter();
  const pathname = usePathname();

  useEffect(() => {
    let source: EventSource | null = null;
    let settle: ReturnType<typeof setTimeout> | undefined;
    let reopen: ReturnType<typeof setTimeout> | undefined;
    let waiting = false;

    const refresh = () => {
      clearTimeout(settle);
      settle = setTimeout(() => {
        if (hasUnsavedInput()) {
          waiting = true;
          return;
        }
        waiting = false;
        router.refresh();
      }, SETTLE_MS);
    };
    const changed = (change: LiveChange) => {
      const taken = !window.dispatchEvent(new CustomEvent<LiveChange>(LIVE_EVENT, { detail: change, cancelable: true }));
      if (taken) return;
      if (change.kind !== "order" || listsOrders(pathname)) refresh();
    };
    // A refresh held back for unsaved input happens once the input is saved (the form resets) or undone.
    const retryWaiting = () => {
      if (waiting) refresh();
    };

    const open = () => {
      if (source || document.visibilityState !== "visible") return;
      const es = new EventSource("/api/live");
      source = es;
      let streams = 0;
      es.addEventListener("hello", () => {
        // A stream that came back may have missed changes meanwhile.
        if (streams++ > 0) changed({ kind: "all", orderId: null });
      });
      es.addEventListener("order", (e) => changed({ kind: "order", orderId: Number((e as MessageEvent<string>).data) || null }));
      es.addEventListener("inbox", () => changed({ kind: "inbox", orderId: null }));
      es.addEventListener("all", () => changed({ kind: "all", orderId: null }));
      es.onerror = () => {
        if (es.readyState !== EventSource.CLOSED) return;
        close();
        reopen = setTimeout(open, REOPEN_MS);
      };
    };
    const close = () => {
      clearTimeout(reopen);
      source?.close();
      source = null;
    };
    // Only a visible tab follows changes; coming back, it looks once for what it missed.
    const onVisibility = () => {
      if (document.visibilityState === "visible") {
        open();
        changed({ kind: "all", orderId: null });
      } else {
        close();
      }
    };

    open();
    document.addEventListener("visibilitychange", onVisibility);
    document.addEventListener("input", retryWaiting);
    document.addEventListener("reset", retryWaiting, true);
    return () => {
      clearTimeout(settle);
      close();
      document.removeEventListener("visibilitychange", onVisibility);
      document.removeEventListener("input", retryWaiting);
      document.removeEventListener("reset", retryWaiting, true);
    };
  }, [pathname, router]);

  return null;
}
