import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { getDb } from "@/db/client";
import { INBOX_PAGE_SIZE, listInbox, unreadCount, unreadLabel } from "@/db/queries/notifications";
import { parseInboxFilter } from "@/lib/inbox/filters";
import { listRules } from "@/db/queries/automation";
import { mayNotify } from "@/lib/automation/evaluator";
import { requireActor } from "@/lib/auth/session";
import { formatDateTime, formatRelative } from "@/lib/format";
import { formatOrderNumber, orderStateLabels, stage } from "@/lib/workflow";
import { inputClass } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/button";
import { Pager } from "@/components/ui/pager";
import { buttonClass } from "@/components/ui/styles";
import { markAllNotificationsReadAction, markNotificationReadAction } from "./actions";
import { InboxList } from "./_components/inbox-list";

export const metadata: Metadata = { title: "Inbox" };

export default async function InboxPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  const raw = await searchParams;
  const filter = parseInboxFilter(raw);
  const page = filter.page;
  const db = await getDb();
  const [{ rows, total, more }, unread, allRules] = await Promise.all([listInbox(db, actor, filter), unreadCount(db, actor), listRules(db)]);
  // The filter offers the rules that may alert this account (reading which ones did would read every alert).
  const rules = allRules.filter((r) => mayNotify(r, actor.roles)).sort((a, b) => a.name.localeCompare(b.name));
  const pages = Math.max(1, Math.ceil(total / INBOX_PAGE_SIZE));
  const filtered = Boolean(filter.unread || filter.priority || filter.rule);
  const pageHref = (p: number) => {
    const params = new URLSearchParams();
    if (filter.unread) params.set("unread", "1");
    if (filter.priority) params.set("priority", filter.priority);
    if (filter.rule) params.set("rule", String(filter.rule));
    if (p > 1) params.set("page", String(p));
    const q = params.toString();
    return `/inbox${q ? `?${q}` : ""}`;
  };
  const now = new Date();

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Inbox</h1>
          <p className="text-sm text-slate-600" aria-live="polite">
            {unread === 0 ? "No unread alerts." : `${unreadLabel(unread)} unread alert${unread === 1 ? "" : "s"}.`} Alerts also arrive by email.
          </p>
        </div>
        {unread > 0 && (
          <form action={markAllNotificationsReadAction}>
            <SubmitButton variant="secondary" pendingText="Marking…">
              Mark all as read
            </SubmitButton>
          </form>
        )}
      </div>

      <form method="get" action="/inbox" className="flex flex-wrap items-end gap-3" aria-label="Filter alerts">
        <label className="flex items-center gap-2 pb-2 text-sm">
          <input type="checkbox" name="unread" value="1" defaultChecked={Boolean(filter.unread)} className="size-4 rounded border-slate-300" />
          Unread only
        </label>
        <div>
          <label htmlFor="inbox-priority" className="block text-xs font-medium text-slate-600">Priority</label>
          <select id="inbox-priority" name="priority" defaultValue={filter.priority ?? ""} className={inputClass}>
            <option value="">Any</option>
            <option value="high">High</option>
            <option value="normal">Normal</option>
            <option value="low">Low</option>
          </select>
        </div>
        <div>
          <label htmlFor="inbox-rule" className="block text-xs font-medium text-slate-600">Rule</label>
          <select id="inbox-rule" name="rule" defaultValue={filter.rule ? String(filter.rule) : ""} className={inputClass}>
            <option value="">Any</option>
            <option value="mention">Mentions</option>
            {rules.map((r) => (
              <option key={r.id} value={r.id}>{r.name}</option>
            ))}
          </select>
        </div>
        <button type="submit" className={buttonClass("secondary")}>Filter</button>
        {filtered && <Link href="/inbox" className="pb-2 text-sm text-indigo-700 underline">Clear</Link>}
      </form>

      {rows.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-12 text-center text-slate-600">
          {filtered ? "No alerts match this filter." : "Nothing here yet. Automation alerts about your orders will appear here."}
        </div>
      ) : (
        <InboxList
          markRead={markNotificationReadAction}
          rows={rows.map((n) => ({
            id: n.id,
            message: n.message,
            priority: n.priority,
            unread: !n.readAt,
            ...(n.orderId !== null && n.stage && n.state
              ? {
                  about: { href: `/orders/${n.orderId}`, name: formatOrderNumber(n.orderId), open: "Open order", detail: `${n.storeName} · ${n.productSummary || "—"}` },
                  source: n.ruleName ?? (n.commentId ? "Mention" : "Alert"),
                  where: n.state === "active" ? `${stage(n.stage).number}. ${stage(n.stage).name}` : orderStateLabels[n.state],
                }
              : {
                  about: { href: `/admin/users/${n.aboutAccountId}`, name: n.aboutName ?? "Account", open: "Open account", detail: n.aboutEmail ?? "", breakAll: true },
                  source: "Sign-in alert",
                  where: "Accounts",
                }),
            at: { iso: n.createdAt.toISOString(), title: formatDateTime(n.createdAt, actor.timeZone), relative: formatRelative(n.createdAt, now) },
          }))}
        />
      )}

      <Pager page={page} pages={pages} href={pageHref} label="Pages" more={more ? { full: rows.length === INBOX_PAGE_SIZE } : undefined} />
    </div>
  );
}
