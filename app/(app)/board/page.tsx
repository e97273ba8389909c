import type { Metadata } from "next";
import Link from "next/link";
import { getDb } from "@/db/client";
import { boardOrders, listStores } from "@/db/queries/orders";
import { requireActor } from "@/lib/auth/session";
import { formatDuration } from "@/lib/format";
import { type SlaState, formatOrderNumber, idSchema, slaLabels, slaState, stages } from "@/lib/workflow";
import { inputClass } from "@/components/ui/field";
import { buttonClass } from "@/components/ui/styles";

export const metadata: Metadata = { title: "Board" };

const cardTone: Record<SlaState, string> = {
  onTrack: "border-l-emerald-500",
  atRisk: "border-l-amber-500 bg-amber-50/60",
  overdue: "border-l-rose-500 bg-rose-50/60",
};

export default async function BoardPage({ searchParams }: { searchParams: Promise<{ store?: string }> }) {
  const actor = await requireActor();
  const db = await getDb();
  const storeList = await listStores(db, actor);
  const picked = idSchema.safeParse((await searchParams).store);
  const storeId = picked.success && storeList.some((s) => s.id === picked.data) ? picked.data : undefined;
  const rows = await boardOrders(db, actor, storeId);
  const now = new Date();
  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Board</h1>
          <p className="text-sm text-slate-600">Active orders by stage. Cards are coloured by their stage deadline.</p>
        </div>
        {storeList.length > 1 && (
          <form method="get" className="flex items-end gap-2">
            <div>
              <label htmlFor="store" className="block text-xs font-medium text-slate-600">Store</label>
              <select id="store" name="store" defaultValue={storeId ?? ""} className={inputClass}>
                <option value="">All stores</option>
                {storeList.map((s) => (
                  <option key={s.id} value={s.id}>{s.name}</option>
                ))}
              </select>
            </div>
            <button type="submit" className={buttonClass("secondary")}>Show</button>
          </form>
        )}
      </div>
      {/* Columns keep a readable width; on a tablet the board scrolls sideways instead of squeezing them. */}
      <div className="grid gap-4 overflow-x-auto pb-2 md:grid-cols-[repeat(5,minmax(14rem,1fr))]">
        {stages.map((s) => {
          const cards = rows.filter((r) => r.stage === s.key);
          return (
            <section key={s.key} aria-labelledby={`col-${s.key}`} className="rounded-lg bg-slate-100 p-3">
              <h2 id={`col-${s.key}`} className="mb-3 flex items-baseline justify-between text-sm font-semibold">
                <span>{s.number}. {s.name}</span>
                <span className="rounded-full bg-white px-2 text-xs text-slate-600">{cards.length}</span>
              </h2>
              <ul className="space-y-2">
                {cards.map((c) => {
                  const sla = slaState(c.stage, c.stageEnteredAt, now);
                  return (
                    <li key={c.id}>
                      <Link href={`/orders/${c.id}`} className={`block rounded-md border border-l-4 border-slate-200 bg-white p-3 text-sm shadow-sm hover:shadow ${cardTone[sla]}`}>
                        <span className="flex items-center justify-between">
                          <span className="font-mono font-medium text-indigo-700">{formatOrderNumber(c.id)}</span>
                          <span className="text-xs text-slate-500">{c.storeName}</span>
                        </span>
                        <span className="mt-1 line-clamp-2 text-slate-800">{c.productSummary}</span>
                        <span className="mt-2 flex items-center justify-between text-xs text-slate-600">
                          <span>{formatDuration(now.getTime() - c.stageEnteredAt.getTime())} in stage</span>
                          <span className={sla === "overdue" ? "font-semibold text-rose-700" : sla === "atRisk" ? "font-semibold text-amber-800" : "text-emerald-700"}>{slaLabels[sla]}</span>
                        </span>
                      </Link>
                    </li>
                  );
                })}
                {cards.length === 0 && <li className="px-1 text-xs text-slate-500">No orders</li>}
              </ul>
            </section>
          );
        })}
      </div>
    </div>
  );
}
