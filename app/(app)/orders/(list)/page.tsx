import type { Metadata } from "next";
import { Link } from "@/components/ui/link";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { type OrderListRow, PAGE_SIZE, listOrders, listStores, replacementsFirst, viewDefaults } from "@/db/queries/orders";
import { stepFacts } from "@/db/queries/next-step-sql";
import { failReasonLabel } from "@/db/queries/fail-reasons";
import { TRAVELLER_BATCH } from "@/db/queries/travellers";
import { parseOrderList } from "@/lib/orders/filters";
import { oneParam } from "@/lib/forms/input";
import { can } from "@/lib/auth/policy";
import { requireActor } from "@/lib/auth/session";
import { formatDate, formatDuration } from "@/lib/format";
import { formatOrderNumber, inspectionStages, nextStep, orderStateLabels, orderStates, ownedStages, queueStages, stage, stages, zoneFor } from "@/lib/workflow";
import { FoldOnPhone } from "@/components/ui/fold-on-phone";
import { buttonClass } from "@/components/ui/styles";
import { inputClass } from "@/components/ui/field";
import { KeysetPager } from "@/components/ui/pager";
import { orderStatus } from "@/components/order-state-badge";
import { OrderList } from "./_components/order-list";

export const metadata: Metadata = { title: "Orders" };

type Search = Record<string, string | string[] | undefined>;

export default async function OrdersPage({ searchParams }: { searchParams: Promise<Search> }) {
  const actor = await requireActor();
  const raw = await searchParams;
  const query = parseOrderList(raw);
  const db = await getDb();
  const now = new Date();
  const [{ rows, total, more, next, previous, pastTheEnd }, storeList, pinned, reasonLabel] = await Promise.all([
    listOrders(db, actor, query, now),
    listStores(db, actor),
    replacementsFirst(db, actor, query, now),
    query.failReason ? failReasonLabel(db, query.failReason) : null,
  ]);
  // "Go to order" (Ctrl+K, components/shortcuts.tsx): a search that finds one order opens it.
  if (oneParam(raw.go) === "1" && query.q && rows.length === 1 && total === 1 && !more && !query.after && !query.before) redirect(`/orders/${rows[0].id}`);
  const zone = zoneFor(actor);
  // The line under each row's stage: what happens next, and who has it.
  const stepOf = (o: OrderListRow) => nextStep(stepFacts(o), { now, timeZone: zone }).label;
  // Without a cursor this is the first page, whatever number the address carries.
  const page = query.after || query.before ? query.page : 1;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const totalLabel = more ? `More than ${total.toLocaleString("en-GB")}` : total.toLocaleString("en-GB");
  // Any change of view, filter or sort starts again at the first page: a cursor belongs to one ordering.
  const link = (patch: Partial<Record<keyof typeof query, string | number | undefined>>) => {
    const params = new URLSearchParams();
    const paging = "after" in patch || "before" in patch ? {} : { after: undefined, before: undefined, page: undefined };
    for (const [k, v] of Object.entries({ ...query, ...paging, ...patch })) if (v !== undefined && v !== "" && !(k === "page" && v === 1)) params.set(k, String(v));
    return `/orders?${params}`;
  };
  // The batch print takes the filters, not the page: every matching order, up to the batch's cap.
  const printFilters = Object.entries({ ...query, after: undefined, before: undefined, page: undefined }).flatMap(([k, v]): [string, string][] => (v === undefined || v === "" ? [] : [[k, String(v)]]));
  // What the view opens on is no filter the person set.
  const opensOn = viewDefaults({ view: query.view, q: query.q });
  const shown = viewDefaults(query);
  const defaultState = opensOn.state;
  const stateSet = query.state !== undefined && query.state !== defaultState ? query.state : undefined;
  const filtered = query.q || query.stage || stateSet || query.store || query.sla || query.mine || query.assigned || query.plannedOn || query.failReason;
  const activeFilters = [query.q, query.stage, stateSet, query.store, query.sla, query.mine, query.assigned, query.plannedOn, query.failReason].filter(Boolean).length;
  const failedWhen = [query.failedFrom && `from ${formatDate(query.failedFrom)}`, query.failedTo && `to ${formatDate(query.failedTo)}`].filter(Boolean).join(" ");
  const views = [
    { key: "queue", label: "Queue", show: true },
    { key: "all", label: "All orders", show: true },
    // Quality control's own list: what production has updated since the last inspection.
    { key: "inspect", label: "Awaiting inspection", show: inspectionStages(actor).length > 0 },
  ] as const;
  const titles = { queue: "Your queue", all: "All orders", inspect: "Awaiting inspection" };
  const intros = {
    queue: "Orders waiting in stages you own or work.",
    all: `${can.seeAllOrders(actor) ? "Every order, all stores" : "Every order of your store"}: ${shown.state === "open" ? "open ones, " : ""}${shown.sort === "new" ? "newest first" : "by due time"}.`,
    inspect: "In production with no inspection since production last updated them, oldest update first.",
  };

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">{titles[query.view]}</h1>
          <p className="text-sm text-slate-600">{intros[query.view]}</p>
        </div>
        {can.createOrders(actor) && (
          <Link href="/orders/new" className={buttonClass()}>
            New order
          </Link>
        )}
      </div>

      <nav aria-label="Order views" className="flex gap-1 overflow-x-auto border-b border-slate-200">
        {views.filter((v) => v.show).map((v) => (
          <Link
            key={v.key}
            href={link({ view: v.key, page: 1 })}
            aria-current={query.view === v.key ? "page" : undefined}
            className={`-mb-px whitespace-nowrap border-b-2 px-4 py-2 text-sm font-medium ${query.view === v.key ? "border-indigo-600 text-indigo-700" : "border-transparent text-slate-600 hover:text-slate-900"}`}
          >
            {v.label}
          </Link>
        ))}
      </nav>

      <FoldOnPhone label="Filters" active={activeFilters}>
      <form method="get" action="/orders" className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2 lg:grid-cols-6" role="search" aria-label="Filter orders">
        <input type="hidden" name="view" value={query.view} />
        {/* The KPI page's fail-reason filter stays while the others change; "Clear filters" ends it. */}
        {query.failReason && (
          <>
            <input type="hidden" name="failReason" value={query.failReason} />
            {query.failedFrom && <input type="hidden" name="failedFrom" value={query.failedFrom} />}
            {query.failedTo && <input type="hidden" name="failedTo" value={query.failedTo} />}
          </>
        )}
        <div className="lg:col-span-2">
          <label htmlFor="q" className="block text-xs font-medium text-slate-600">Search</label>
          <input id="q" name="q" data-shortcut-search defaultValue={query.q} placeholder="Order number or product" className={inputClass} />
        </div>
        <FilterSelect id="stage" label="Stage" value={query.stage} options={stages.map((s) => [s.key, `${s.number}. ${s.name}`])} />
        {/* Left empty, the view's own: All orders opens on open orders, and searches every state. */}
        <FilterSelect
          id="state"
          label="State"
          value={query.state}
          allLabel={query.view === "all" ? "Open (any when searching)" : "All"}
          options={[["open", "Open (active or on hold)"], ["any", "Any state"], ...orderStates.map((s): [string, string] => [s, orderStateLabels[s]])]}
        />
        {storeList.length > 1 && <FilterSelect id="store" label="Store" value={query.store ? String(query.store) : undefined} options={storeList.map((s) => [String(s.id), s.name])} />}
        <FilterSelect id="sla" label="Due" value={query.sla} options={[["overdue", "Overdue"], ["atRisk", "At risk"]]} />
        <div>
          <label htmlFor="plannedOn" className="block text-xs font-medium text-slate-600">Planned on</label>
          <input id="plannedOn" name="plannedOn" type="date" defaultValue={query.plannedOn} className={inputClass} />
        </div>
        <FilterSelect id="sort" label="Sort" value={shown.sort} options={[["due", "Due soonest"], ["-due", "Due latest"], ["new", "Newest"]]} all={false} />
        {ownedStages(actor).length > 0 && (
          <label className="flex min-h-10 items-center gap-2 self-end text-sm">
            <input type="checkbox" name="mine" value="1" defaultChecked={query.mine === "1"} className="size-4 accent-indigo-600" />
            Mine (stages I own)
          </label>
        )}
        {queueStages(actor).length > 0 && (
          <label className="flex min-h-10 items-center gap-2 self-end text-sm">
            <input type="checkbox" name="assigned" value="me" defaultChecked={query.assigned === "me"} className="size-4 accent-indigo-600" />
            Assigned to me
          </label>
        )}
        <div className="flex items-end gap-2 lg:col-span-6">
          <button type="submit" className={buttonClass()}>Apply</button>
          {filtered && <Link href={link({ q: undefined, stage: undefined, state: undefined, store: undefined, sla: undefined, mine: undefined, assigned: undefined, plannedOn: undefined, failReason: undefined, failedFrom: undefined, failedTo: undefined, page: 1 })} className={buttonClass("secondary")}>Clear filters</Link>}
        </div>
      </form>
      </FoldOnPhone>
      {query.failReason && (
        <p className="rounded-md border border-indigo-200 bg-indigo-50 px-3 py-2 text-sm text-indigo-900" data-testid="fail-reason-filter">
          Orders that failed an inspection for <strong>{reasonLabel ?? "a reason no longer in the list"}</strong>
          {failedWhen ? `, ${failedWhen}` : ""} (UTC days).
        </p>
      )}
      {pinned.length > 0 && (
        <section aria-labelledby="replacements-title" className="space-y-2 rounded-lg border border-rose-200 bg-rose-50 p-3">
          <h2 id="replacements-title" className="text-sm font-semibold text-rose-900">Replacements first: goods that arrived damaged or wrong</h2>
          <ul className="space-y-1 text-sm" aria-label="Replacements">
            {pinned.map((o) => (
              <li key={o.id} className="flex flex-wrap items-baseline gap-x-3 gap-y-0.5 rounded-md bg-white px-3 py-2">
                <Link href={`/orders/${o.id}`} className="font-mono font-medium text-indigo-700 hover:underline">{formatOrderNumber(o.id)}</Link>
                <span className="text-xs text-rose-800">replaces {o.replacesOrderId ? formatOrderNumber(o.replacesOrderId) : "—"}</span>
                <span className="min-w-0 flex-1 truncate">{o.productSummary}{o.quantity ? <span className="text-slate-500"> × {o.quantity}</span> : null} · {o.storeName}</span>
                <span className="text-xs font-medium text-slate-700" data-testid="next-step">{stepOf(o)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <p className="text-sm text-slate-600" aria-live="polite">{totalLabel} order{total === 1 && !more ? "" : "s"}</p>

      {pastTheEnd ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-12 text-center text-slate-600">
          No more orders past this point: the list has moved on since this page was made.{" "}
          <Link href={link({})} className="text-indigo-700 underline">Back to the first page</Link>
        </div>
      ) : rows.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-12 text-center text-slate-600">
          {filtered ? "No orders match these filters." : query.view === "queue" ? "Nothing waiting for you. Well done." : "No orders yet."}
        </div>
      ) : (
        <OrderList
          print={{
            filters: printFilters,
            allHref: `/orders/travellers?${new URLSearchParams(printFilters)}`,
            allLabel: `print all ${more || total > TRAVELLER_BATCH ? `(the first ${TRAVELLER_BATCH})` : total} shown by the filters, one a page`,
          }}
          caption={`Orders, sorted by ${shown.sort === "new" ? "newest" : "due time"}`}
          rows={rows.map((o) => ({
            id: o.id,
            number: formatOrderNumber(o.id),
            store: o.storeName,
            product: o.productSummary,
            quantity: o.quantity,
            stage: `${stage(o.stage).number}. ${stage(o.stage).name}`,
            inStage: o.state === "active" ? formatDuration(now.getTime() - o.stageEnteredAt.getTime()) : null,
            status: orderStatus(o, now),
            due: o.requiredDeliveryDate ? formatDate(o.requiredDeliveryDate) : "—",
            next: stepOf(o),
          }))}
        />
      )}

      <KeysetPager
        page={page}
        pages={more ? `more than ${Math.max(pages, page).toLocaleString("en-GB")}` : String(Math.max(pages, page))}
        previousHref={previous ? (page <= 2 ? link({}) : link({ before: previous, after: undefined, page: page - 1 })) : null}
        nextHref={next ? link({ after: next, before: undefined, page: page + 1 }) : null}
        label="Pages"
      />
    </div>
  );
}

function FilterSelect({ id, label, value, options, all = true, allLabel = "All" }: { id: string; label: string; value?: string; options: [string, string][]; all?: boolean; allLabel?: string }) {
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-slate-600">{label}</label>
      <select id={id} name={id} defaultValue={value ?? ""} className={inputClass}>
        {all && <option value="">{allLabel}</option>}
        {options.map(([v, l]) => (
          <option key={v} value={v}>{l}</option>
        ))}
      </select>
    </div>
  );
}
