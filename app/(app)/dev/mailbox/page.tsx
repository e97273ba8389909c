import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { MAILBOX_PAGE_SIZE, type MailboxScope, listMailbox, mailboxEmail } from "@/db/queries/mailbox";
import { parseMailboxQuery } from "@/lib/email/filters";
import { can } from "@/lib/auth/policy";
import { requireActor } from "@/lib/auth/session";
import { demoMailboxEnabled } from "@/lib/email/mailbox";
import { formatDateTime } from "@/lib/format";
import { Pager } from "@/components/ui/pager";

export const metadata: Metadata = { title: "Development mailbox" };

/** Links in a stored email open in the whole tab, not inside the preview frame. */
const withTopTarget = (html: string) => html.replace(/<head([^>]*)>/i, '<head$1><base target="_top">');

/**
 * Emails the app "sent" without RESEND_API_KEY, when the mailbox is on (demoMailboxEnabled).
 * Each account reads the emails addressed to it; administrators (readAllMail) read them all.
 */
export default async function MailboxPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  if (!demoMailboxEnabled()) notFound();
  const actor = await requireActor();
  const scope: MailboxScope = can.readAllMail(actor) ? { all: true } : { all: false, email: actor.email };
  const raw = await searchParams;
  const query = parseMailboxQuery(raw);
  const db = await getDb();
  const [{ rows, total }, selected] = await Promise.all([listMailbox(db, scope, query.page), query.id ? mailboxEmail(db, scope, query.id) : null]);
  if (query.id && !selected) notFound();
  const pages = Math.max(1, Math.ceil(total / MAILBOX_PAGE_SIZE));
  const href = (patch: { id?: number; page?: number }) => {
    const params = new URLSearchParams();
    const next = { ...query, ...patch };
    if (next.page > 1) params.set("page", String(next.page));
    if (next.id) params.set("id", String(next.id));
    const s = params.toString();
    return `/dev/mailbox${s ? `?${s}` : ""}`;
  };

  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-2xl font-semibold">Development mailbox</h1>
        <p className="text-sm text-slate-600">
          No RESEND_API_KEY is set, so alert emails land here instead of being sent.{" "}
          {scope.all ? "All emails" : `Emails to ${actor.email}`}: {total}.
        </p>
      </div>

      {rows.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-12 text-center text-slate-600">
          No emails yet. Mark an order not feasible, or wait for an overdue escalation.
        </div>
      ) : (
        <div className="grid grid-cols-[minmax(0,1fr)] gap-5 md:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
          <nav aria-label="Emails" className="space-y-3">
            <ul className="divide-y divide-slate-200 overflow-hidden rounded-lg border border-slate-200 bg-white">
              {rows.map((m) => {
                const current = m.id === selected?.id;
                return (
                  <li key={m.id}>
                    <Link
                      href={href({ id: m.id })}
                      aria-current={current ? "true" : undefined}
                      className={`block px-4 py-3 hover:bg-slate-50 ${current ? "bg-indigo-50" : ""}`}
                    >
                      <span className="block truncate text-sm font-medium text-slate-900">{m.subject}</span>
                      <span className="block truncate text-xs text-slate-600">
                        To {m.to} · <time dateTime={m.createdAt.toISOString()}>{formatDateTime(m.createdAt, actor.timeZone)}</time>
                      </span>
                    </Link>
                  </li>
                );
              })}
            </ul>
            <Pager page={query.page} pages={pages} href={(page) => href({ page, id: undefined })} previous="Newer" next="Older" />
          </nav>

          {selected ? (
            <article aria-labelledby="email-subject" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
              <header className="space-y-1">
                <h2 id="email-subject" className="text-base font-semibold">{selected.subject}</h2>
                <dl className="grid grid-cols-[4rem_1fr] gap-x-2 text-sm text-slate-700">
                  <dt className="text-slate-500">From</dt>
                  <dd className="break-all">{selected.from}</dd>
                  <dt className="text-slate-500">To</dt>
                  <dd className="break-all">{selected.to}</dd>
                  <dt className="text-slate-500">Stored</dt>
                  <dd>{formatDateTime(selected.createdAt, actor.timeZone)}</dd>
                </dl>
              </header>
              {/* No scripts, no same-origin access: only a click on a link may leave the frame. */}
              <iframe
                title={`Email: ${selected.subject}`}
                srcDoc={withTopTarget(selected.html)}
                sandbox="allow-top-navigation-by-user-activation allow-popups"
                className="h-[36rem] w-full rounded border border-slate-200 bg-white"
              />
              <details className="text-sm">
                <summary className="cursor-pointer text-slate-700">Plain-text version</summary>
                <pre className="mt-2 whitespace-pre-wrap break-words rounded bg-slate-50 p-3 text-xs text-slate-800">{selected.text}</pre>
              </details>
            </article>
          ) : (
            <p className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-12 text-center text-sm text-slate-600">
              Choose an email to read it.
            </p>
          )}
        </div>
      )}
    </div>
  );
}
