import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { getDb } from "@/db/client";
import { keyAccounts, listApiKeys } from "@/db/queries/api-admin";
import { requireGrant } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/format";
import { roleLabel } from "@/lib/workflow";
import { Badge } from "@/components/ui/badge";
import { CreateKeyForm } from "./_components/create-key-form";
import { RevokeKeyForm } from "./_components/revoke-key-form";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  const actor = await requireGrant("manageApiKeys");
  const db = await getDb();
  const [keys, accounts] = await Promise.all([listApiKeys(db), keyAccounts(db)]);
  const zone = actor.timeZone ?? "UTC";
  const now = new Date();
  const status = (k: (typeof keys)[number]) =>
    k.revokedAt ? { label: "Revoked", tone: "rose" as const } : !k.accountActive ? { label: "Account deactivated", tone: "amber" as const } : k.expiresAt && k.expiresAt <= now ? { label: "Expired", tone: "amber" as const } : { label: "Active", tone: "emerald" as const };

  return (
    <div className="space-y-8">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold">API keys</h1>
        <p className="text-sm text-slate-600">
          A key lets another system (a web shop, an ERP) use the <Link href="/api/v1/reference" className="text-indigo-700 underline">Makeline API</Link> as one account: with that account’s roles and stores, and nothing more. Deactivating the account stops its keys.
        </p>
      </div>

      <section aria-labelledby="new-key-heading" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 sm:p-6">
        <h2 id="new-key-heading" className="text-lg font-semibold">
          New key
        </h2>
        <CreateKeyForm accounts={accounts.map((a) => ({ id: a.id, label: `${a.name} (${a.roles.map(roleLabel).join(", ")})` }))} />
      </section>

      <section aria-labelledby="keys-heading" className="space-y-4">
        <h2 id="keys-heading" className="text-lg font-semibold">
          Keys
        </h2>
        {keys.length === 0 ? (
          <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-slate-600">No keys yet.</div>
        ) : (
          <ul className="grid gap-4 lg:grid-cols-2">
            {keys.map((k) => {
              const s = status(k);
              return (
                <li key={k.id}>
                  <article aria-labelledby={`key-${k.id}-title`} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 sm:p-5">
                    <header className="flex flex-wrap items-center gap-2">
                      <h3 id={`key-${k.id}-title`} className="break-all text-base font-semibold">
                        {k.name}
                      </h3>
                      <Badge tone={s.tone}>{s.label}</Badge>
                    </header>
                    <dl className="grid grid-cols-[8rem_1fr] gap-x-3 gap-y-1 text-sm">
                      <dt className="text-slate-500">Key</dt>
                      <dd className="font-mono">{k.prefix}…</dd>
                      <dt className="text-slate-500">Acts as</dt>
                      <dd className="break-all">
                        {k.accountName} · {k.accountEmail}
                      </dd>
                      <dt className="text-slate-500">Created</dt>
                      <dd>
                        {formatDateTime(k.createdAt, zone)}
                        {k.creatorName ? ` by ${k.creatorName}` : ""}
                      </dd>
                      <dt className="text-slate-500">Last used</dt>
                      <dd>{k.lastUsedAt ? formatDateTime(k.lastUsedAt, zone) : "Never"}</dd>
                      <dt className="text-slate-500">Expires</dt>
                      <dd>{k.expiresAt ? formatDateTime(k.expiresAt, zone) : "Never"}</dd>
                      {k.revokedAt && (
                        <>
                          <dt className="text-slate-500">Revoked</dt>
                          <dd>{formatDateTime(k.revokedAt, zone)}</dd>
                        </>
                      )}
                    </dl>
                    {!k.revokedAt && (
                      <footer className="border-t border-slate-200 pt-3">
                        <RevokeKeyForm keyId={k.id} name={k.name} />
                      </footer>
                    )}
                  </article>
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </div>
  );
}
