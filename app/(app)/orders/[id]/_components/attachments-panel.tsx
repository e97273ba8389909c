import type { OrderDetail } from "@/db/queries/orders";
import { formatBytes } from "@/lib/format";
import { type UploadLimits, directUploadField } from "@/lib/orders/uploads";
import { firstStage, stage as stageDef } from "@/lib/workflow";
import { AttachmentForm } from "./lazy";

/** Reference designs: links for those who may read the order, the upload form for those who may add. */
export function AttachmentsPanel({ detail, canAdd, limits }: { detail: OrderDetail; canAdd: boolean; limits: UploadLimits }) {
  const { order } = detail;
  return (
    <section aria-labelledby="attachments-title" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="attachments-title" className="font-semibold">Attachments</h2>
      {detail.attachments.length === 0 ? (
        <p className="text-sm text-slate-600">No reference designs attached.</p>
      ) : (
        <ul className="space-y-1 text-sm">
          {detail.attachments.map((a) => (
            <li key={a.id} className="wrap-anywhere">
              <a href={`/orders/${order.id}/attachments/${a.id}`} className="text-indigo-700 underline hover:text-indigo-900">{a.filename}</a>
              <span className="text-slate-500"> · {formatBytes(a.size)}</span>
              {a.stage !== firstStage && <span className="text-slate-500"> · {stageDef(a.stage).attachments?.label ?? stageDef(a.stage).name}</span>}
            </li>
          ))}
        </ul>
      )}
      {canAdd && <AttachmentForm orderId={order.id} version={order.version} files={directUploadField(limits)} />}
    </section>
  );
}
