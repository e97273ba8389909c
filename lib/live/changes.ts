import type { HistoryKind } from "@/db/schema";
import { describeEvent } from "@/lib/orders/history-text";
import { field as fieldDef, isFieldKey } from "@/lib/workflow";

type Event = { who: string | null; kind: HistoryKind; subject: string | null; before: unknown; after: unknown; note: string | null };

/**
 * What colleagues did to an order while it was open with unsaved input, one line a person:
 * "Dana saved Special Requirements and Quantity", "Sam: Completed Order Review; now in …".
 * Field values stay out of it: the page shows them when the person asks to see the change.
 */
export function summariseChanges(events: readonly Event[], timeZone?: string): string[] {
  const saved = new Map<string, string[]>();
  const other: string[] = [];
  for (const e of events) {
    const who = e.who ?? "System";
    if (e.kind === "fieldChanged") {
      const label = e.subject && isFieldKey(e.subject) ? fieldDef(e.subject).label : (e.subject ?? "a field");
      const list = saved.get(who) ?? [];
      if (!list.includes(label)) list.push(label);
      saved.set(who, list);
    } else if (e.kind !== "dueMoved") {
      other.push(`${who}: ${describeEvent(e, timeZone)}`);
    }
  }
  const lines = [...saved].map(([who, labels]) => `${who} saved ${labels.length > 1 ? `${labels.slice(0, -1).join(", ")} and ${labels.at(-1)}` : labels[0]}`);
  return [...lines, ...other];
}
