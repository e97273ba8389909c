import { Badge } from "@/components/ui/badge";
import type { OrderDetail } from "@/db/queries/orders";
import { formatDateTime } from "@/lib/format";
import { type FieldDef, inspectionResults } from "@/lib/workflow";
import { InspectionForm, ReadyForReinspectionForm } from "./lazy";

/** Every quality inspection, newest first, kept in view after production; the form while QC may record. */
export function Inspections({
  detail,
  def,
  canRecord,
  canMarkReady = false,
  zone,
  standalone = false,
}: {
  detail: OrderDetail;
  def: FieldDef;
  canRecord: boolean;
  canMarkReady?: boolean;
  zone: string;
  standalone?: boolean;
}) {
  const { order } = detail;
  // After a failed inspection, rework: production says when it is ready to be looked at again (once per fail).
  const latest = detail.inspections[0]?.inspection;
  const failed = latest?.result === "fail" && order.state === "active";
  const ready = failed ? detail.history.find((h) => h.event.kind === "readyForReinspection" && h.event.at > latest.createdAt) : undefined;
  const Heading = standalone ? "h2" : "h3";
  return (
    <section
      id="inspections"
      aria-labelledby="inspections-title"
      className={standalone ? "space-y-3 rounded-lg border border-slate-200 bg-white p-4" : "space-y-3 border-t border-slate-100 pt-4"}
    >
      <Heading id="inspections-title" className="font-semibold">Inspections</Heading>
      {detail.inspections.length === 0 ? (
        <p className="text-sm text-slate-600">No inspection yet.</p>
      ) : (
        <ol className="space-y-1.5 text-sm">
          {detail.inspections.map(({ inspection, inspectorName, reasons }) => (
            <li key={inspection.id} className="flex flex-wrap items-center gap-2">
              <Badge tone={inspection.result === "pass" ? "emerald" : "rose"}>{inspectionResults.label(inspection.result)}</Badge>
              {reasons.length > 0 && (
                <span className="text-rose-800" data-testid="fail-reasons">
                  {reasons.map((r) => (r.note ? `${r.label} (${r.note})` : r.label)).join(", ")}:
                </span>
              )}
              <span className="min-w-0 wrap-anywhere">{inspection.notes}</span>
              <span className="text-slate-500">— {inspectorName}, {formatDateTime(inspection.createdAt, zone)}</span>
            </li>
          ))}
        </ol>
      )}
      {ready && (
        <p className="text-sm text-slate-700" role="status">
          Ready for re-inspection — {ready.actorName}, {formatDateTime(ready.event.at, zone)}
          {ready.event.note ? `: ${ready.event.note}` : ""}
        </p>
      )}
      {failed && !ready && canMarkReady && <ReadyForReinspectionForm orderId={order.id} version={order.version} />}
      {canRecord && <InspectionForm orderId={order.id} version={order.version} def={def} reasons={detail.failReasonOptions} />}
    </section>
  );
}
