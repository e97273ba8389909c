"use client";

import { Link } from "@/components/ui/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { OrderStatus } from "@/components/order-state-badge";
import { Badge } from "@/components/ui/badge";

/** One order as the list shows it, every text already formatted on the server. */
export type OrderListItem = {
  id: number;
  number: string;
  store: string;
  product: string;
  quantity: number | null;
  stage: string;
  /** Time in the stage, for active orders. */
  inStage: string | null;
  status: OrderStatus;
  due: string;
  /** What happens next, and who has it (nextStep). */
  next: string;
};

/** The batch print of travellers: the ticked rows, or without any the list's filters (`filters`). */
export type PrintBatch = { filters: [string, string][]; allHref: string; allLabel: string };

/**
 * The rows of the order list: on a phone a list of cards, from the tablet width up a table. A
 * client component so that the page sends the rows once, as data, rather than both layouts'
 * elements (the HTML is the same, rendered on the server). The order links do not prefetch: 50
 * of them would each fetch on load, for an order page with no loading state.
 */
export function OrderList({ rows, caption, print }: { rows: OrderListItem[]; caption: string; print: PrintBatch }) {
  const router = useRouter();
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const toggle = (id: number, on: boolean) =>
    setSelected((was) => {
      const next = new Set(was);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const tick = (o: OrderListItem, className: string) => (
    <input
      type="checkbox"
      form="print-batch"
      name="id"
      value={o.id}
      checked={selected.has(o.id)}
      onChange={(e) => toggle(o.id, e.currentTarget.checked)}
      aria-label={`Select ${o.number} for printing`}
      data-row-select
      className={`size-5 shrink-0 accent-indigo-600 ${className}`}
    />
  );
  // A click anywhere on a row opens its order; a link, a box or a selection of text in it does what it does.
  const openRow = (e: React.MouseEvent<HTMLElement>, id: number) => {
    if ((e.target as Element).closest("a, input, label, button") || window.getSelection()?.toString()) return;
    router.push(`/orders/${id}`);
  };
  return (
    <>
      <form id="print-batch" method="get" action="/orders/travellers" className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
        {/* Nothing ticked: the travellers of what the filters show. */}
        {selected.size === 0 && print.filters.map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)}
        <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-700 hover:bg-slate-50">
          {selected.size > 0 ? `Print ${selected.size} selected` : "Print travellers"}
        </button>
        <span className="text-slate-600">
          Tick orders (or press X on a row) to print only those; or <Link href={print.allHref} className="text-indigo-700 underline">{print.allLabel}</Link>.
        </span>
      </form>
      <ul className="space-y-2 md:hidden" aria-label="Orders">
        {rows.map((o) => (
          <li key={o.id} data-row className="flex items-start gap-3 rounded-lg border border-slate-200 bg-white p-3 text-sm shadow-sm">
            {tick(o, "mt-0.5")}
            <Link href={`/orders/${o.id}`} data-row-link className="block min-w-0 flex-1">
              <span className="flex items-center justify-between gap-2">
                <span className="font-mono font-medium text-indigo-700">{o.number}</span>
                <Badge tone={o.status.tone} dot={o.status.dot}>{o.status.label}</Badge>
              </span>
              <span className="mt-1 block line-clamp-2 text-slate-800 wrap-anywhere">
                {o.product}
                {o.quantity ? <span className="text-slate-500"> × {o.quantity}</span> : null}
              </span>
              <span className="mt-1 flex flex-wrap justify-between gap-x-3 text-xs text-slate-600">
                <span>{o.stage} · {o.store}</span>
                <span className="w-full font-medium text-slate-700" data-testid="next-step">{o.next}</span>
                <span>Deliver by {o.due}</span>
              </span>
            </Link>
          </li>
        ))}
      </ul>
      <div className="hidden overflow-x-auto rounded-lg border border-slate-200 bg-white md:block">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <caption className="sr-only">{caption}</caption>
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" className="w-10 px-4 py-3"><span className="sr-only">Select for printing</span></th>
              <th scope="col" className="px-4 py-3">Order</th>
              <th scope="col" className="px-4 py-3">Store</th>
              <th scope="col" className="px-4 py-3">Product</th>
              <th scope="col" className="px-4 py-3">Stage</th>
              <th scope="col" className="px-4 py-3">Time in stage</th>
              <th scope="col" className="px-4 py-3">Status</th>
              <th scope="col" className="px-4 py-3">Deliver by</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((o) => (
              <tr key={o.id} data-row onClick={(e) => openRow(e, o.id)} className="cursor-pointer hover:bg-slate-50 has-[a:focus-visible]:bg-indigo-50">
                <td className="px-4 py-3">{tick(o, "block")}</td>
                <td className="whitespace-nowrap px-4 py-3 font-mono font-medium">
                  <Link href={`/orders/${o.id}`} data-row-link className="text-indigo-700 hover:underline">{o.number}</Link>
                </td>
                <td className="px-4 py-3">{o.store}</td>
                <td className="max-w-xs truncate px-4 py-3" title={o.product}>
                  {o.product}
                  {o.quantity ? <span className="text-slate-500"> × {o.quantity}</span> : null}
                </td>
                <td className="whitespace-nowrap px-4 py-3">
                  {o.stage}
                  <span className="block text-xs font-medium text-slate-600" data-testid="next-step">{o.next}</span>
                </td>
                <td className="whitespace-nowrap px-4 py-3 tabular-nums">{o.inStage ?? "—"}</td>
                <td className="px-4 py-3"><Badge tone={o.status.tone} dot={o.status.dot}>{o.status.label}</Badge></td>
                <td className="whitespace-nowrap px-4 py-3">{o.due}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
