"use client";

import { Link } from "@/components/ui/link";
import { Badge } from "@/components/ui/badge";
import { SubmitButton } from "@/components/ui/button";
import { buttonClass } from "@/components/ui/styles";

/** One alert as the inbox shows it, every text already formatted on the server. */
export type InboxItem = {
  id: string;
  message: string;
  priority: "low" | "normal" | "high";
  unread: boolean;
  /** What the alert is about: an order or, for administrators, an account (a sign-in under attack). */
  about: {
    href: string;
    /** The order's number or the account's name. */
    name: string;
    /** "Open order" or "Open account". */
    open: string;
    /** The store and product, or the account's email. */
    detail: string;
    /** Long unbroken text (an email address): may break anywhere. */
    breakAll?: boolean;
  };
  /** The rule's name, "Mention", "Alert" or "Sign-in alert". */
  source: string;
  /** The order's stage ("2. Receiving by Dispatch") or state, or "Accounts". */
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
        const { about } = n;
        return (
          // On a phone the actions go under the text, which keeps the row's full width; from
          // the tablet up they sit beside it.
          <li
            key={n.id}
            className={`grid grid-cols-[0.625rem_minmax(0,1fr)] items-start gap-x-3 gap-y-3 px-4 py-4 sm:grid-cols-[0.625rem_minmax(0,1fr)_auto] sm:gap-x-4 ${n.unread ? "bg-indigo-50/40" : ""} ${high ? "border-l-4 border-l-rose-500" : "border-l-4 border-l-transparent"}`}
          >
            <span className={`mt-2 size-2.5 rounded-full ${n.unread ? "bg-indigo-600" : "bg-transparent"}`} aria-hidden="true" />
            <div className="space-y-1 wrap-anywhere">
              <div className="flex flex-wrap items-center gap-2">
                {n.unread && <span className="sr-only">Unread:</span>}
                {high && <Badge tone="rose">High priority</Badge>}
                {n.priority === "low" && <Badge>Low priority</Badge>}
                <p className={`min-w-0 text-base ${n.unread ? "font-semibold text-slate-900" : "text-slate-700"}`}>{n.message}</p>
              </div>
              <p className="text-sm text-slate-600">
                <Link href={about.href} className="font-mono font-medium text-indigo-700 hover:underline">
                  {about.name}
                </Link>{" "}
                · <span className={about.breakAll ? "break-all" : "break-words"}>{about.detail}</span>
              </p>
              <p className="text-xs text-slate-500">
                {n.source} · {n.where} ·{" "}
                <time dateTime={n.at.iso} title={n.at.title}>
                  {n.at.relative}
                </time>
              </p>
            </div>
            <div className="col-start-2 flex flex-wrap items-center gap-2 sm:col-start-3">
              <Link href={about.href} className={buttonClass("secondary")} aria-label={`${about.open} ${about.name}`}>
                {about.open}
              </Link>
              {n.unread && (
                <form action={markRead}>
                  <input type="hidden" name="notificationId" value={n.id} />
                  <SubmitButton variant="secondary" pendingText="Marking…">
                    Mark as read<span className="sr-only">: {about.name}</span>
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
