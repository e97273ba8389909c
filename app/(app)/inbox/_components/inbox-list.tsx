"use client";

import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { SubmitButton } from "@/components/ui/button";
import { buttonClass } from "@/components/ui/styles";

/** One alert as the inbox shows it, every text already formatted on the server. */
export type InboxItem = {
  id: string;
  message: string;
  priority: "low" | "normal" | "high";
  unread: boolean;
  orderId: number;
  number: string;
  store: string;
  product: string;
  /** The rule's name, "Mention" or "Alert". */
  source: string;
  /** The order's stage ("2. Receiving by Dispatch") or state. */
  where: string;
  at: { iso: string; title: string; relative: string };
};

/**
 * The alerts. A client component so that the page sends them once, as data, rather than each
 * row's elements (the HTML is the same, rendered on the server). `markRead` is the server action,
 * handed down by the page, so the form works before the page's JavaScript has loaded.
 */
export function InboxList({ rows, markRead }: { rows: InboxItem[]; markRead: (formData: FormData) => void | Promise<void> }) {
  return (
    <ul className="divide-y divide-slate-200 overflow-hidden rounded-lg border border-slate-200 bg-white" aria-label="Alerts">
      {rows.map((n) => {
        const high = n.priority === "high";
        return (
          <li key={n.id} className={`flex flex-wrap items-start gap-x-4 gap-y-3 px-4 py-4 sm:flex-nowrap ${n.unread ? "bg-indigo-50/40" : ""} ${high ? "border-l-4 border-l-rose-500" : "border-l-4 border-l-transparent"}`}>
            <span className={`mt-2 size-2.5 shrink-0 rounded-full ${n.unread ? "bg-indigo-600" : "bg-transparent"}`} aria-hidden="true" />
            <div className="min-w-0 flex-1 space-y-1">
              <div className="flex flex-wrap items-center gap-2">
                {n.unread && <span className="sr-only">Unread:</span>}
                {high && <Badge tone="rose">High priority</Badge>}
                {n.priority === "low" && <Badge>Low priority</Badge>}
                <p className={`text-base ${n.unread ? "font-semibold text-slate-900" : "text-slate-700"}`}>{n.message}</p>
              </div>
              <p className="text-sm text-slate-600">
                <Link href={`/orders/${n.orderId}`} className="font-mono font-medium text-indigo-700 hover:underline">
                  {n.number}
                </Link>{" "}
                · {n.store} · <span className="break-words">{n.product || "—"}</span>
              </p>
              <p className="text-xs text-slate-500">
                {n.source} · {n.where} ·{" "}
                <time dateTime={n.at.iso} title={n.at.title}>
                  {n.at.relative}
                </time>
              </p>
            </div>
            <div className="flex shrink-0 items-center gap-2">
              <Link href={`/orders/${n.orderId}`} className={buttonClass("secondary")} aria-label={`Open order ${n.number}`}>
                Open order
              </Link>
              {n.unread && (
                <form action={markRead}>
                  <input type="hidden" name="notificationId" value={n.id} />
                  <SubmitButton variant="secondary" pendingText="Marking…">
                    Mark as read<span className="sr-only">: {n.number}</span>
                  </SubmitButton>
                </form>
              )}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
