import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { getDb } from "@/db/client";
import { listAccountNames } from "@/db/queries/account-admin";
import { AUDIT_PAGE_SIZE, type AuditRow, auditKindLabels, auditKinds, listAudit } from "@/db/queries/audit";
import { parseAuditFilter } from "@/lib/audit/filters";
import { listAllStores } from "@/db/queries/stores";
import { requireGrant } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/format";
import { Badge } from "@/components/ui/badge";
import { inputClass } from "@/components/ui/field";
import { Pager } from "@/components/ui/pager";
import { buttonClass } from "@/components/ui/styles";
import { AuditChanges } from "./_components/audit-changes";

export const metadata: Metadata = { title: "Audit log" };

type Search = Record<string, string | string[] | undefined>;

const tones: Partial<Record<keyof typeof auditKindLabels, "rose" | "amber" | "indigo" | "emerald">> = {
  signInFailed: "amber",
  signInLocked: "rose",
  signInSlowed: "rose",
  signInUnlocked: "indigo",
  passwordCheckFailed: "amber",
  accountCreated: "emerald",
  storeCreated: "emerald",
  accountChanged: "indigo",
  storeChanged: "indigo",
  calendarChanged: "indigo",
  storeArchived: "amber",
  failReasonArchived: "amber",
  passwordReset: "indigo",
};

/** An account change that only flips the active flag reads as what it was. */
function entryLabel(e: AuditRow): string {
  if (e.kind === "accountChanged") {
    const [before, after] = [e.before, e.after] as ({ active?: unknown } | null)[];
    if (before && after && before.active !== after.active) return after.active ? "Account reactivated" : "Account deactivated";
  }
  return auditKindLabels[e.kind] ?? e.kind;
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await requireGrant("viewAudit");
  const zone = actor.timeZone ?? "UTC";
  const raw = await searchParams;
  const { query, filter } = parseAuditFilter(raw, zone);
  const db = await getDb();
  const [{ rows, total }, accounts, stores] = await Promise.all([listAudit(db, filter), listAccountNames(db), listAllStores(db)]);
  const names = { stores: new Map(stores.map((s) => [s.id, s.name])) };
  const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const link = (patch: Partial<Record<keyof typeof query, string | number | undefined>>) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...query, ...patch })) if (v !== undefined && v !== "" && !(k === "page" && v === 1)) params.set(k, String(v));
    const s = params.toString();
    return `/admin/audit${s ? `?${s}` : ""}`;
  };
  const filtered = query.account || query.kind || query.from || query.to;

  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-2xl font-semibold">Audit log</h1>
        <p className="text-sm text-slate-600">Sign-ins, and every change to accounts, stores and automation rules: who, when, what. Entries cannot be edited; times and days are in your time zone ({zone.replaceAll("_", " ")}).</p>
      </div>

      <form method="get" action="/admin/audit" role="search" aria-label="Filter the audit log" className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-4">
        <div>
          <label htmlFor="account" className="block text-xs font-medium text-slate-600">Account (acting or acted on)</label>
          <select id="account" name="account" defaultValue={query.account ? String(query.account) : ""} className={inputClass}>
            <option value="">All accounts</option>
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} ({a.email})
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="kind" className="block text-xs font-medium text-slate-600">What</label>
          <select id="kind" name="kind" defaultValue={query.kind ?? ""} className={inputClass}>
            <option value="">Everything</option>
            {auditKinds.map((k) => (
              <option key={k} value={k}>
                {auditKindLabels[k]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="from" className="block text-xs font-medium text-slate-600">From</label>
          <input id="from" name="from" type="date" defaultValue={query.from} className={inputClass} />
        </div>
        <div>
          <label htmlFor="to" className="block text-xs font-medium text-slate-600">To (included)</label>
          <input id="to" name="to" type="date" defaultValue={query.to} className={inputClass} />
        </div>
        <div className="flex flex-wrap items-center gap-2 sm:col-span-2 lg:col-span-4">
          <button type="submit" className={buttonClass()}>Apply</button>
          {filtered && (
            <Link href="/admin/audit" className={buttonClass("secondary")}>
              Clear filters
            </Link>
          )}
          <p className="ml-auto text-sm text-slate-600" aria-live="polite">
            {total} entr{total === 1 ? "y" : "ies"}
          </p>
        </div>
      </form>

      {rows.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-12 text-center text-slate-600">
          {filtered ? "No entries match these filters." : "Nothing recorded yet."}
        </div>
      ) : (
        <ol aria-label="Audit entries, newest first" className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
          {rows.map((e) => (
            <li key={e.id} className="grid grid-cols-1 gap-x-4 gap-y-1.5 px-4 py-3 text-sm md:grid-cols-[12.5rem_minmax(0,1fr)_minmax(0,1.5fr)]">
              <div>
                <time dateTime={e.at.toISOString()} className="block tabular-nums text-slate-600">
                  {formatDateTime(e.at, zone)}
                </time>
                <Badge tone={tones[e.kind] ?? "slate"}>{entryLabel(e)}</Badge>
              </div>
              <dl className="grid min-w-0 content-start grid-cols-[4.5rem_minmax(0,1fr)] gap-x-2 gap-y-0.5">
                <dt className="text-slate-500">By</dt>
                <dd className="break-words">
                  {e.actorId ? (
                    <Link href={`/admin/users/${e.actorId}`} className="text-indigo-700 hover:underline">
                      {e.actorName}
                    </Link>
                  ) : (
                    <span className="text-slate-500">nobody signed in</span>
                  )}
                </dd>
                {e.accountId && e.accountId !== e.actorId && (
                  <>
                    <dt className="text-slate-500">Account</dt>
                    <dd className="break-words">
                      <Link href={`/admin/users/${e.accountId}`} className="text-indigo-700 hover:underline">
                        {e.accountName}
                      </Link>
                    </dd>
                  </>
                )}
                {e.storeId && (
                  <>
                    <dt className="text-slate-500">Store</dt>
                    <dd className="break-words">{e.storeName}</dd>
                  </>
                )}
                {e.email && e.email.toLowerCase() !== e.accountEmail?.toLowerCase() && (
                  <>
                    <dt className="text-slate-500">Email</dt>
                    <dd className="break-all font-mono text-xs leading-5">{e.email}</dd>
                  </>
                )}
                {e.ip && (
                  <>
                    <dt className="text-slate-500">Address</dt>
                    <dd className="break-all font-mono text-xs leading-5">{e.ip}</dd>
                  </>
                )}
              </dl>
              <AuditChanges before={e.before} after={e.after} names={names} />
            </li>
          ))}
        </ol>
      )}

      <Pager page={query.page} pages={pages} href={(page) => link({ page })} label="Audit log pages" />
    </div>
  );
}
