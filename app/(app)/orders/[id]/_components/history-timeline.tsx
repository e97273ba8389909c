import type { OrderDetail } from "@/db/queries/orders";
import { formatDateTime } from "@/lib/format";
import { collapseTodoRuns, describeEvent } from "@/lib/orders/history-text";
import { stage as stageDef } from "@/lib/workflow";

type Item = OrderDetail["history"][number];

/** The append-only history, newest first; a run of to-do ticks by one person reads as one line. */
export function HistoryTimeline({ history, zone }: { history: OrderDetail["history"]; zone: string }) {
  return (
    <section aria-labelledby="history-title" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="history-title" className="font-semibold">History</h2>
      <ol className="mt-3 space-y-3 border-l border-slate-200 pl-4 text-sm">
        {collapseTodoRuns(history).map((entry) =>
          entry.kind === "one" ? (
            <li key={entry.item.event.id} className="relative wrap-anywhere">
              <Dot />
              <p>{describeEvent(entry.item.event, zone)}</p>
              <Byline item={entry.item} zone={zone} />
            </li>
          ) : (
            <li key={entry.items[0].event.id} className="relative wrap-anywhere">
              <Dot />
              <details>
                <summary className="cursor-pointer">{entry.summary}</summary>
                <ul className="mt-1 space-y-0.5 text-slate-700">
                  {entry.items.map(({ event }) => (
                    <li key={event.id}>
                      {describeEvent(event, zone)} <span className="text-xs text-slate-500">{formatDateTime(event.at, zone)}</span>
                    </li>
                  ))}
                </ul>
              </details>
              <Byline item={entry.items[0]} zone={zone} />
            </li>
          ),
        )}
      </ol>
    </section>
  );
}

const Dot = () => <span className="absolute -left-[1.3rem] top-1.5 size-2 rounded-full bg-slate-400" aria-hidden="true" />;

function Byline({ item: { event, actorName }, zone }: { item: Item; zone: string }) {
  return (
    <p className="text-xs text-slate-500">
      {actorName ?? "System"} · <time dateTime={event.at.toISOString()}>{formatDateTime(event.at, zone)}</time>
      {event.stage && ` · ${stageDef(event.stage).name}`}
    </p>
  );
}
