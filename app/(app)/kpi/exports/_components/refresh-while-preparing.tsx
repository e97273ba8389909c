"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** While an export is being prepared, the page reloads its data every two seconds (progress, then the link). */
export function RefreshWhilePreparing({ preparing }: { preparing: boolean }) {
  const router = useRouter();
  useEffect(() => {
    if (!preparing) return;
    const timer = setInterval(() => router.refresh(), 2000);
    return () => clearInterval(timer);
  }, [preparing, router]);
  return null;
}
