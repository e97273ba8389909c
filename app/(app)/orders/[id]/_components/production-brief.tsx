import type { OrderDetail } from "@/db/queries/orders";
import { displayValue, fields } from "@/lib/workflow";

/**
 * What to make, first: while the order is in production, the full specifications, quantity,
 * special requirements and the reference designs sit above the stage form.
 */
export function ProductionBrief({ detail, zone }: { detail: OrderDetail; zone: string }) {
  const { order } = detail;
  const shown = fields.filter((f) => f.brief);
  return (
    <section aria-labelledby="brief-title" className="space-y-3 rounded-lg border border-slate-200 bg-white p-5">
      <h2 id="brief-title" className="text-lg font-semibold">What to make</h2>
      <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-2">
        {shown.map((f) => (
          <div key={f.key} className={f.input.kind === "longText" ? "sm:col-span-2" : undefined}>
            <dt className="text-slate-500">{f.label}</dt>
            <dd className="whitespace-pre-line wrap-anywhere">{displayValue(f.key, order.fields, zone) ?? "—"}</dd>
          </div>
        ))}
      </dl>
      <div>
        <h3 className="text-sm text-slate-500">Reference designs</h3>
        {detail.attachments.length === 0 ? (
          <p className="text-sm">None attached.</p>
        ) : (
          <ul className="flex flex-wrap gap-3 text-sm">
            {detail.attachments.map((a) => (
              <li key={a.id}>
                <a href={`/orders/${order.id}/attachments/${a.id}`} className="text-indigo-700 underline wrap-anywhere hover:text-indigo-900">{a.filename}</a>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
