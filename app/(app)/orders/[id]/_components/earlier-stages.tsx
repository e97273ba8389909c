import type { Order } from "@/db/schema";
import { displayValue, stageKeys, stages } from "@/lib/workflow";

/** What the stages already done recorded (every stage once the order is completed). */
export function EarlierStages({ order, zone }: { order: Order; zone: string }) {
  const earlier = order.state === "completed" ? stages : stages.slice(0, stageKeys.indexOf(order.stage));
  if (earlier.length === 0) return null;
  return (
    <section aria-labelledby="earlier-title" className="space-y-3">
      <h2 id="earlier-title" className="text-lg font-semibold">{order.state === "completed" ? "All stages" : "Earlier stages"}</h2>
      {earlier.map((s) => (
        <div key={s.key} className="rounded-lg border border-slate-200 bg-white p-4">
          <h3 className="font-medium">{s.number}. {s.name}</h3>
          <dl className="mt-2 grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
            {s.fields.map((f) => (
              <div key={f.key}>
                <dt className="text-slate-500">{f.label}</dt>
                <dd className="whitespace-pre-line wrap-anywhere">{displayValue(f.key, order.fields, zone) ?? "—"}</dd>
              </div>
            ))}
          </dl>
        </div>
      ))}
    </section>
  );
}
