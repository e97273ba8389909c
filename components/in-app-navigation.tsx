"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/**
 * Follows a click on an in-app link (components/ui/link.tsx, `a[data-in-app]`) in place, through
 * the router, as next/link does. A click a page handled already, one with a modifier key or another
 * button, a link with a target or a download, and one to another origin are the browser's.
 * Listening on the document, after React's own handlers, keeps it one listener for the whole page.
 */
export function InAppNavigation() {
  const router = useRouter();
  useEffect(() => {
    function onClick(e: MouseEvent) {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const a = e.target instanceof Element ? e.target.closest<HTMLAnchorElement>("a[data-in-app]") : null;
      if (!a || a.target || a.hasAttribute("download") || a.origin !== window.location.origin) return;
      e.preventDefault();
      router.push(a.pathname + a.search + a.hash);
    }
    document.addEventListener("click", onClick);
    return () => document.removeEventListener("click", onClick);
  }, [router]);
  return null;
}
