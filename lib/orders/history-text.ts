import type { HistoryKind, Order } from "@/db/schema";
import { type FieldValues, displayValue, field as fieldDef, isFieldKey, stage as stageDef } from "@/lib/workflow";
import { formatDate, formatDateTime } from "@/lib/format";

/** One line for a history event, as people read it: the timeline and the conflict message use it. */
export function describeEvent(e: { kind: HistoryKind; subject: string | null; before: unknown; after: unknown; note: string | null }, timeZone = "UTC"): string {
  const show = (v: unknown) => (v === null || v === undefined ? "—" : typeof v === "object" ? JSON.stringify(v) : String(v));
  switch (e.kind) {
    case "fieldChanged": {
      if (!e.subject || !isFieldKey(e.subject)) return `${e.subject}: ${show(e.before)} → ${show(e.after)}`;
      const key = e.subject;
      const shown = (v: unknown) => displayValue(key, { [key]: v } as FieldValues, timeZone) ?? "—";
      // A note says what was confirmed with the change (a schedule over capacity, decision 027).
      return `${fieldDef(key).label}: ${shown(e.before)} → ${shown(e.after)}${e.note ? ` (${e.note})` : ""}`;
    }
    case "todoChanged": {
      const [s, t] = (e.subject ?? "").split(".");
      const label = stageDef(s as Order["stage"])?.todos.find((x) => x.key === t)?.label ?? e.subject;
      return `${e.after ? "Ticked" : "Unticked"} “${label}”`;
    }
    case "inspectionRecorded": {
      const a = e.after as { result: string; notes?: string };
      return `Quality inspection: ${a.result}${a.notes ? ` — ${a.notes}` : ""}`;
    }
    case "attachmentAdded":
      return `Attached ${e.subject}`;
    case "stageCompleted": {
      const a = e.after as { stage: Order["stage"] };
      return `Completed ${stageDef(e.before as Order["stage"]).name}; now in ${stageDef(a.stage).name}${e.note ? ` (${e.note})` : ""}`;
    }
    case "putOnHold":
      return `Put on hold: not feasible${e.note ? ` (${e.note})` : ""}`;
    case "revised":
      return "Revised: back to Store Order";
    case "cancelled":
      return `Cancelled: ${e.note ?? ""}`;
    case "completed":
      return `Order completed${e.note ? ` (${e.note})` : ""}`;
    case "created":
      return `Order created${e.note ? ` (${e.note})` : ""}`;
    case "replacementRequested":
      return `Asked for a replacement: ${e.subject ?? ""}${e.note ? ` (${e.note})` : ""}`;
    case "commented":
      return "Commented";
    case "commentEdited":
      return `Edited a comment (was: “${(e.before as { body?: string } | null)?.body ?? ""}”)`;
    case "assigned":
      return e.after ? `Assigned to ${show(e.after)}${e.before ? ` (was ${show(e.before)})` : ""}` : `Unassigned ${show(e.before)}`;
    case "proposed":
      return `Proposed an alternative: ${proposalText((e.after ?? {}) as ProposalParts, false)}${e.note ? ` (${e.note})` : ""}`;
    case "proposalAccepted":
      return "Accepted dispatch's proposal: back to Receiving by Dispatch";
    case "dueMoved": {
      const at = (v: unknown) => (typeof v === "string" ? formatDateTime(v, timeZone) : "—");
      const label = e.subject && isFieldKey(e.subject) ? fieldDef(e.subject).label : "the plan";
      return `Due time moved by ${label}: ${at(e.before)} → ${at(e.after)}`;
    }
    case "readyForReinspection":
      return `Ready for re-inspection${e.note ? ` (${e.note})` : ""}`;
  }
}

type ProposalParts = { requiredDeliveryDate?: string; orderQuantity?: number; note?: string };

/** A proposal in words ("delivery 12 Jan 2027, quantity 40"), with its note when asked: the history line and the store's alert. */
export function proposalText(p: ProposalParts, withNote = true): string {
  const parts = [p.requiredDeliveryDate ? `delivery ${formatDate(p.requiredDeliveryDate)}` : null, p.orderQuantity ? `quantity ${p.orderQuantity}` : null].filter(Boolean);
  return `${parts.join(", ")}${withNote && p.note ? ` (${p.note})` : ""}`;
}

/** A history line, or a run of to-do ticks by one person in one stage, one after another. */
export type HistoryEntry<T> = { kind: "one"; item: T } | { kind: "todos"; items: T[]; summary: string };

/**
 * The timeline's entries: consecutive to-do ticks and unticks by the same person in the same stage
 * read as one line ("Ticked 3 to-dos"), the single ticks still there to unfold. A run of one stays
 * as it was. Order (newest first) is kept.
 */
export function collapseTodoRuns<T extends { event: { kind: HistoryKind; after: unknown; actorId: number | null; stage: string | null } }>(items: T[]): HistoryEntry<T>[] {
  const entries: HistoryEntry<T>[] = [];
  let run: T[] = [];
  const flush = () => {
    if (run.length === 1) entries.push({ kind: "one", item: run[0] });
    else if (run.length > 1) {
      const ticked = run.filter((i) => i.event.after).length;
      const unticked = run.length - ticked;
      const parts = [ticked && `Ticked ${ticked}`, unticked && `${ticked ? "unticked" : "Unticked"} ${unticked}`].filter(Boolean);
      entries.push({ kind: "todos", items: run, summary: `${parts.join(" and ")} to-dos` });
    }
    run = [];
  };
  for (const item of items) {
    const e = item.event;
    const last = run[0]?.event;
    if (e.kind === "todoChanged" && (!last || (last.actorId === e.actorId && last.stage === e.stage))) run.push(item);
    else {
      flush();
      if (e.kind === "todoChanged") run.push(item);
      else entries.push({ kind: "one", item });
    }
  }
  flush();
  return entries;
}
