import { Badge } from "@/components/ui/badge";
import type { OrderDetail } from "@/db/queries/orders";
import { formatDateTime } from "@/lib/format";
import { type FieldDef, inspectionResults } from "@/lib/workflow";
import { InspectionForm } from "./inspection-form";

/** Every quality inspection, newest first, kept in view after production; the form while QC may record. */
export function Inspections({ detail, def, canRecord, zone, standalone = false }: { detail: OrderDetail; def: FieldDef; canRecord: boolean; zone: string; standalone?: boolean }) {
  const { order } = detail;
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
          {detail.inspections.map(({ inspection, inspectorName }) => (
            <li key={inspection.id} className="flex flex-wrap items-center gap-2">
              <Badge tone={inspection.result === "pass" ? "emerald" : "rose"}>{inspectionResults.label(inspection.result)}</Badge>
              <span className="min-w-0 wrap-anywhere">{inspection.notes}</span>
              <span className="text-slate-500">— {inspectorName}, {formatDateTime(inspection.createdAt, zone)}</span>
            </li>
          ))}
        </ol>
      )}
      {canRecord && <InspectionForm orderId={order.id} version={order.version} def={def} />}
    </section>
  );
}
