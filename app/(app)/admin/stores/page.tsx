import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { listAllStores } from "@/db/queries/stores";
import { requireGrant } from "@/lib/auth/session";
import { formatDate } from "@/lib/format";
import { timeZones } from "@/lib/forms/time-zones";
import { Badge } from "@/components/ui/badge";
import { ArchiveStoreForm } from "./_components/archive-store-form";
import { CreateStoreForm } from "./_components/create-store-form";
import { StoreForm } from "./_components/store-form";

export const metadata: Metadata = { title: "Stores" };

export default async function StoresPage() {
  await requireGrant("manageStores");
  const stores = await listAllStores(await getDb());
  const open = stores.filter((s) => !s.archived).length;

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">Stores</h1>
        <p className="text-sm text-slate-600">
          {open} open, {stores.length - open} archived. An archived store takes no new orders; its orders, history and KPIs stay.
        </p>
      </div>

      <section aria-labelledby="new-store-heading" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 sm:p-6">
        <h2 id="new-store-heading" className="text-lg font-semibold">
          New store
        </h2>
        <CreateStoreForm timeZones={timeZones} />
      </section>

      <section aria-labelledby="stores-heading" className="space-y-4">
        <h2 id="stores-heading" className="text-lg font-semibold">
          All stores
        </h2>
        {stores.length === 0 ? (
          <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-slate-600">No stores yet.</div>
        ) : (
          <ul className="grid gap-4 lg:grid-cols-2">
            {stores.map((s) => (
              <li key={s.id}>
                <article aria-labelledby={`store-${s.id}-title`} className={`space-y-4 rounded-lg border p-4 sm:p-5 ${s.archived ? "border-dashed border-slate-300 bg-slate-50" : "border-slate-200 bg-white"}`}>
                  <header className="min-w-0">
                    <div className="flex flex-wrap items-center gap-2">
                      <h3 id={`store-${s.id}-title`} className="break-all text-base font-semibold">
                        {s.name}
                      </h3>
                      {s.archived ? <Badge tone="amber">Archived{s.archivedAt ? ` ${formatDate(s.archivedAt)}` : ""}</Badge> : <Badge tone="emerald">Open</Badge>}
                    </div>
                    <p className="text-xs text-slate-500">
                      Code <span className="font-mono">{s.code}</span> · {s.orderCount} order{s.orderCount === 1 ? "" : "s"} · {s.timeZone.replaceAll("_", " ")}
                    </p>
                  </header>
                  <StoreForm store={s} timeZones={timeZones} />
                  <footer className="border-t border-slate-200 pt-4">
                    <ArchiveStoreForm store={s} />
                  </footer>
                </article>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
