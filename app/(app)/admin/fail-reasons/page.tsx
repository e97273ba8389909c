import type { Metadata } from "next";
import { getDb } from "@/db/client";
import { listFailReasons } from "@/db/queries/fail-reasons";
import { requireGrant } from "@/lib/auth/session";
import { formatDate } from "@/lib/format";
import { Badge } from "@/components/ui/badge";
import { ArchiveFailReasonForm, CreateFailReasonForm, FailReasonForm } from "./_components/fail-reason-forms";

export const metadata: Metadata = { title: "Fail reasons" };

export default async function FailReasonsPage() {
  await requireGrant("manageFailReasons");
  const reasons = await listFailReasons(await getDb());
  const open = reasons.filter((r) => !r.archived).length;
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold">Fail reasons</h1>
        <p className="text-sm text-slate-600">
          {open} open, {reasons.length - open} archived. A failed inspection names one or more; the KPI page counts them. An archived reason is no longer offered, and
          the inspections that named it keep it.
        </p>
      </div>
      <section aria-labelledby="new-reason-heading" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 sm:p-6">
        <h2 id="new-reason-heading" className="text-lg font-semibold">
          New fail reason
        </h2>
        <CreateFailReasonForm />
      </section>
      <section aria-labelledby="reasons-heading" className="space-y-4">
        <h2 id="reasons-heading" className="text-lg font-semibold">
          All fail reasons
        </h2>
        <ul className="grid gap-4 lg:grid-cols-2">
          {reasons.map((r) => (
            <li key={r.id}>
              <article aria-labelledby={`reason-${r.id}-title`} className={`space-y-3 rounded-lg border p-4 ${r.archived ? "border-dashed border-slate-300 bg-slate-50" : "border-slate-200 bg-white"}`}>
                <header className="flex flex-wrap items-center gap-2">
                  <h3 id={`reason-${r.id}-title`} className="break-all font-semibold">
                    {r.label}
                  </h3>
                  {r.archived ? <Badge tone="amber">Archived{r.archivedAt ? ` ${formatDate(r.archivedAt)}` : ""}</Badge> : <Badge tone="emerald">Open</Badge>}
                  {r.needsNote && <Badge>Needs a note</Badge>}
                </header>
                <FailReasonForm reason={r} />
                <footer className="border-t border-slate-200 pt-3">
                  <ArchiveFailReasonForm reason={r} />
                </footer>
              </article>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
