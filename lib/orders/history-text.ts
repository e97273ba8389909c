import type { HistoryKind, Order } from "@/db/schema";
import { type FieldValues, displayValue, field as fieldDef, isFieldKey, stage as stageDef } from "@/lib/workflow";
import { formatDate } from "@/lib/format";

/** One line for a history event, as people read it: the timeline and the conflict message use it. */
export function describeEvent(e: { kind: HistoryKind; subject: string | null; before: unknown; after: unknown; note: string | null }, timeZone = "UTC"): string {
  const show = (v: unknown) => (v === null || v === undefined ? "—" : typeof v === "object" ? JSON.stringify(v) : String(v));
  switch (e.kind) {
    case "fieldChanged": {
      if (!e.subject || !isFieldKey(e.subject)) return `${e.subject}: ${show(e.before)} → ${show(e.after)}`;
      const key = e.subject;
      const shown = (v: unknown) => displayValue(key, { [key]: v } as FieldValues, timeZone) ?? "—";
      return `${fieldDef(key).label}: ${shown(e.before)} → ${shown(e.after)}`;
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
    case "proposed": {
      const p = (e.after ?? {}) as { requiredDeliveryDate?: string; orderQuantity?: number };
      const parts = [p.requiredDeliveryDate ? `delivery ${formatDate(p.requiredDeliveryDate)}` : null, p.orderQuantity ? `quantity ${p.orderQuantity}` : null].filter(Boolean);
      return `Proposed an alternative: ${parts.join(", ")}${e.note ? ` (${e.note})` : ""}`;
    }
    case "proposalAccepted":
      return "Accepted dispatch's proposal: back to Receiving by Dispatch";
  }
}
