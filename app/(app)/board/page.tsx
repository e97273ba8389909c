import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { getDb } from "@/db/client";
import { type BoardColumnKey, type BoardQuery, boardColumns, listStores } from "@/db/queries/orders";
import { stepFacts } from "@/db/queries/next-step-sql";
import { parseBoard } from "@/lib/orders/filters";
import { requireActor } from "@/lib/auth/session";
import { formatDate, formatDuration } from "@/lib/format";
import { clockState, formatOrderNumber, nextStep, ownedStages, slaLabels, stage as stageDef, storedClock, zoneFor } from "@/lib/workflow";
import { inputClass } from "@/components/ui/field";
import { FoldOnPhone } from "@/components/ui/fold-on-phone";
import { buttonClass } from "@/components/ui/styles";
import { BoardCards } from "./_components/board-cards";

export const metadata: Metadata = { title: "Board" };

type Search = Record<string, string | string[] | undefined>;

const columnName = (key: BoardColumnKey) => (key === "onHold" ? "On hold" : `${stageDef(key).number}. ${stageDef(key).name}`);

export default async function BoardPage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await requireActor();
  const raw = await searchParams;
  const query = parseBoard(raw);
  const db = await getDb();
  const storeList = await listStores(db, actor);
  if (query.store && !storeList.some((s) => s.id === query.store)) query.store = undefined;
  const now = new Date();
  const columns = await boardColumns(db, actor, query, now);
  const zone = zoneFor(actor);
  // On a phone one column shows at a time: the chosen one, else the first with cards.
  const shown = query.stage ?? columns.find((c) => c.total > 0)?.key ?? columns[0].key;
  const href = (patch: Partial<BoardQuery>) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...query, ...patch })) if (v !== undefined) params.set(k, String(v));
    const s = params.toString();
    return `/board${s ? `?${s}` : ""}`;
  };
  // "Show all" opens the same orders as a list, where they page.
  const listHref = (key: BoardColumnKey) => {
    const params = new URLSearchParams({ view: "all" });
    if (key === "onHold") params.set("state", "onHold");
    else {
      params.set("stage", key);
      params.set("state", "active");
    }
    if (query.store) params.set("store", String(query.store));
    if (query.sla) params.set("sla", query.sla);
    if (query.mine) params.set("mine", "1");
    return `/orders?${params}`;
  };
  const activeFilters = [query.store, query.sla, query.mine].filter(Boolean).length;
  const canMine = ownedStages(actor).length > 0;

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Board</h1>
          <p className="text-sm text-slate-600">Open orders by stage, soonest due first. Cards are coloured by their stage deadline.</p>
        </div>
        <FoldOnPhone label="Filters" active={activeFilters}>
          <form method="get" className="flex flex-wrap items-end gap-3" aria-label="Filter the board">
            {query.stage && <input type="hidden" name="stage" value={query.stage} />}
            {storeList.length > 1 && (
              <div>
                <label htmlFor="store" className="block text-xs font-medium text-slate-600">Store</label>
                <select id="store" name="store" defaultValue={query.store ?? ""} className={inputClass}>
                  <option value="">All stores</option>
                  {storeList.map((s) => (
                    <option key={s.id} value={s.id}>{s.name}</option>
                  ))}
                </select>
              </div>
            )}
            <label className="flex min-h-10 items-center gap-2 text-sm">
              <input type="checkbox" name="sla" value="overdue" defaultChecked={query.sla === "overdue"} className="size-4 accent-indigo-600" />
              Overdue only
            </label>
            {canMine && (
              <label className="flex min-h-10 items-center gap-2 text-sm">
                <input type="checkbox" name="mine" value="1" defaultChecked={query.mine === "1"} className="size-4 accent-indigo-600" />
                Mine (stages I own)
              </label>
            )}
            <button type="submit" className={buttonClass("secondary")}>Show</button>
            {activeFilters > 0 && <Link href={href({ store: undefined, sla: undefined, mine: undefined })} className="text-sm text-indigo-700 underline">Clear</Link>}
          </form>
        </FoldOnPhone>
      </div>

      {/* On a phone: a switcher and one column. From the tablet up: every column, scrolling sideways if need be. */}
      <nav aria-label="Board columns" className="-mx-1 flex gap-1 overflow-x-auto pb-1 md:hidden">
        {columns.map((c) => (
          <Link
            key={c.key}
            href={href({ stage: c.key })}
            aria-current={c.key === shown ? "true" : undefined}
            className={`whitespace-nowrap rounded-full border px-3 py-1.5 text-sm ${c.key === shown ? "border-indigo-600 bg-indigo-50 text-indigo-800" : "border-slate-300 bg-white text-slate-700"}`}
          >
            {c.key === "onHold" ? "On hold" : stageDef(c.key).name} <span className={`text-xs ${c.key === shown ? "text-indigo-700" : "text-slate-600"}`}>{c.total}</span>
          </Link>
        ))}
      </nav>

      {/* One column per stage of the definition and one for on hold, as many as there are
          sections: no count is written here. Six fit beside each other at 1280 px. */}
      <div className="grid gap-4 md:grid-flow-col md:auto-cols-[minmax(11rem,1fr)] md:overflow-x-auto md:pb-2">
        {columns.map((c) => (
          <section key={c.key} aria-labelledby={`col-${c.key}`} className={`min-w-0 rounded-lg bg-slate-100 p-3 ${c.key === shown ? "" : "hidden md:block"}`}>
            <h2 id={`col-${c.key}`} className="mb-3 flex items-baseline justify-between gap-2 text-sm font-semibold">
              <span>{columnName(c.key)}</span>
              <span className="rounded-full bg-white px-2 text-xs text-slate-600">{c.total}</span>
            </h2>
            <ul className="space-y-2">
              <BoardCards
                cards={c.cards.map((card) => {
                  const sla = card.state === "onHold" ? null : clockState(storedClock(card), now);
                  return {
                    next: nextStep(stepFacts(card), { now, timeZone: zone }).label,
                    failedInspections: card.failedInspections,
                    id: card.id,
                    number: formatOrderNumber(card.id),
                    store: card.storeName,
                    product: card.productSummary,
                    tone: sla ?? "held",
                    assignee: card.assigneeName ? { name: card.assigneeName, initials: initials(card.assigneeName) } : null,
                    time: sla ? `${formatDuration(now.getTime() - card.stageEnteredAt.getTime())} in stage` : `held at ${stageDef(card.stage).name}`,
                    sla: sla ? { state: sla, label: slaLabels[sla] } : null,
                    due: card.requiredDeliveryDate ? formatDate(card.requiredDeliveryDate) : "—",
                  };
                })}
              />
              {c.total === 0 && <li className="px-1 text-xs text-slate-500">No orders</li>}
            </ul>
            {c.total > c.cards.length && (
              <Link href={listHref(c.key)} className="mt-3 block text-center text-sm font-medium text-indigo-700 underline">
                Show all {c.total}
              </Link>
            )}
          </section>
        ))}
      </div>
    </div>
  );
}

/** "Dana Dispatch" → "DD": the board shows who works a card in two letters. */
function initials(name: string) {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join("");
}
