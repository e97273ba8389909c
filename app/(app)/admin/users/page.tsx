import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { getDb } from "@/db/client";
import { ACCOUNT_PAGE_SIZE, listAccounts } from "@/db/queries/account-admin";
import { listAllStores } from "@/db/queries/stores";
import { parseAccountList } from "@/lib/account-admin/filters";
import { requireGrant } from "@/lib/auth/session";
import { roleLabel, roles } from "@/lib/workflow";
import { Badge } from "@/components/ui/badge";
import { inputClass } from "@/components/ui/field";
import { Pager } from "@/components/ui/pager";
import { buttonClass } from "@/components/ui/styles";

export const metadata: Metadata = { title: "Accounts" };

type Search = Record<string, string | string[] | undefined>;

export default async function AccountsPage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await requireGrant("manageAccounts");
  const raw = await searchParams;
  const query = parseAccountList(raw);
  const db = await getDb();
  const [{ rows, total }, stores] = await Promise.all([listAccounts(db, query), listAllStores(db)]);
  const storeName = new Map(stores.map((s) => [s.id, s.archived ? `${s.name} (archived)` : s.name]));
  const pages = Math.max(1, Math.ceil(total / ACCOUNT_PAGE_SIZE));
  const link = (patch: Partial<Record<keyof typeof query, string | number | undefined>>) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...query, ...patch })) if (v !== undefined && v !== "" && !(k === "page" && v === 1)) params.set(k, String(v));
    const s = params.toString();
    return `/admin/users${s ? `?${s}` : ""}`;
  };
  const filtered = query.q || query.role || query.store || query.status;

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Accounts</h1>
          <p className="text-sm text-slate-600">Who can sign in, with which roles and for which stores.</p>
        </div>
        <Link href="/admin/users/new" className={buttonClass()}>
          New account
        </Link>
      </div>

      <form method="get" action="/admin/users" role="search" aria-label="Filter accounts" className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-5">
        <div className="sm:col-span-2 lg:col-span-2">
          <label htmlFor="q" className="block text-xs font-medium text-slate-600">Search</label>
          <input id="q" name="q" type="search" defaultValue={query.q} placeholder="Name or email" className={inputClass} />
        </div>
        <FilterSelect id="role" label="Role" value={query.role} options={roles.map((r) => [r.key, r.label])} />
        <FilterSelect id="store" label="Store" value={query.store ? String(query.store) : undefined} options={stores.map((s) => [String(s.id), storeName.get(s.id) ?? s.name])} />
        <FilterSelect id="status" label="Status" value={query.status} options={[["active", "Active"], ["inactive", "Deactivated"]]} />
        <div className="flex flex-wrap items-center gap-2 sm:col-span-2 lg:col-span-5">
          <button type="submit" className={buttonClass()}>Apply</button>
          {filtered && (
            <Link href="/admin/users" className={buttonClass("secondary")}>
              Clear filters
            </Link>
          )}
          <p className="ml-auto text-sm text-slate-600" aria-live="polite">
            {total} account{total === 1 ? "" : "s"}
          </p>
        </div>
      </form>

      {rows.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-12 text-center text-slate-600">
          {filtered ? "No accounts match these filters." : "No accounts yet."}
        </div>
      ) : (
        <ul aria-label="Accounts" className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
          {rows.map((a) => (
            <li key={a.id} className="flex items-center gap-4 px-4 py-3 text-sm">
              <div className="grid min-w-0 flex-1 gap-y-0.5 md:grid-cols-[minmax(0,2fr)_minmax(0,2fr)_minmax(0,1.5fr)_7rem] md:items-center md:gap-x-4">
                <div className="min-w-0">
                  <Link href={`/admin/users/${a.id}`} className="font-medium text-indigo-700 hover:underline">
                    {a.name}
                  </Link>
                  {a.id === actor.id && <span className="text-slate-500"> (you)</span>}
                  <span className="ml-2 md:hidden">{a.active ? <Badge tone="emerald">Active</Badge> : <Badge tone="rose">Deactivated</Badge>}</span>
                  <span className="block break-all text-slate-600">{a.email}</span>
                </div>
                <div>
                  <span className="sr-only">Roles: </span>
                  {a.roles.map(roleLabel).join(", ")}
                </div>
                <div className="text-slate-700">
                  <span className="sr-only">Stores: </span>
                  {a.storeIds.length ? a.storeIds.map((id) => storeName.get(id) ?? `#${id}`).join(", ") : <span className="text-slate-500">No store</span>}
                </div>
                <div className="hidden md:block">
                  {a.active ? <Badge tone="emerald">Active</Badge> : <Badge tone="rose">Deactivated</Badge>}
                </div>
              </div>
              <Link href={`/admin/users/${a.id}`} className={buttonClass("secondary")} aria-label={`Edit ${a.name}`}>
                Edit
              </Link>
            </li>
          ))}
        </ul>
      )}

      <Pager page={query.page} pages={pages} href={(page) => link({ page })} label="Account pages" />
    </div>
  );
}

function FilterSelect({ id, label, value, options }: { id: string; label: string; value?: string; options: [string, string][] }) {
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-slate-600">{label}</label>
      <select id={id} name={id} defaultValue={value ?? ""} className={inputClass}>
        <option value="">All</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>{l}</option>
        ))}
      </select>
    </div>
  );
}
