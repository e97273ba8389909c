import type { OrderDetail } from "@/db/queries/orders";
import { formatDateTime } from "@/lib/format";
import { describeEvent } from "@/lib/orders/history-text";
import { stage as stageDef } from "@/lib/workflow";

/** The append-only history, newest first. */
export function HistoryTimeline({ history, zone }: { history: OrderDetail["history"]; zone: string }) {
  return (
    <section aria-labelledby="history-title" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="history-title" className="font-semibold">History</h2>
      <ol className="mt-3 space-y-3 border-l border-slate-200 pl-4 text-sm">
        {history.map(({ event, actorName }) => (
          <li key={event.id} className="relative wrap-anywhere">
            <span className="absolute -left-[1.3rem] top-1.5 size-2 rounded-full bg-slate-400" aria-hidden="true" />
            <p>{describeEvent(event, zone)}</p>
            <p className="text-xs text-slate-500">
              {actorName ?? "System"} · <time dateTime={event.at.toISOString()}>{formatDateTime(event.at, zone)}</time>
              {event.stage && ` · ${stageDef(event.stage).name}`}
            </p>
          </li>
        ))}
      </ol>
    </section>
  );
}
