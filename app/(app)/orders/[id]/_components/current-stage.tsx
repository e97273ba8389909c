import type { OrderDetail } from "@/db/queries/orders";
import { can } from "@/lib/auth/policy";
import { stageChecklist } from "@/lib/orders/checklist";
import { formDefaults } from "@/lib/orders/form";
import { formatDateTime } from "@/lib/format";
import { uploadLimits } from "@/lib/env";
import { attachmentTypes, describeUploadLimits } from "@/lib/orders/uploads";
import { type Actor, compoundKinds, isFormField, planField, roleLabel, stage as stageDef, stageOfField, stageParticipants, todoKey } from "@/lib/workflow";
import { Inspections } from "./inspections";
import type { CapacityAround } from "@/lib/planning/check";
import { CapacityPanel } from "./capacity-panel";
import { StageForm } from "./lazy";
import { TodoList } from "./todo-list";

/** The active stage: its form (editable where this account may), to-dos, checklist and buttons, inspections. */
export function CurrentStage({ detail, actor, zone, capacity }: { detail: OrderDetail; actor: Actor; zone: string; capacity?: CapacityAround | null }) {
  const { order } = detail;
  const current = stageDef(order.stage);
  // The stage's plan, entered earlier (the Production Schedule in In Production), can still move.
  const plan = planField(order.stage);
  const stageFields = plan ? [...current.fields, plan] : current.fields;
  const formFields = stageFields.filter(isFormField);
  const editable = formFields.filter((f) => can.order(actor, "editField", order, f.key)).map((f) => f.key);
  const readOnly = formFields.filter((f) => !editable.includes(f.key));
  const recorded = current.fields.find((f) => f.recordedAs === "inspection");
  const latestInspection = detail.inspections[0]?.inspection.result ?? null;
  const compoundParts = Object.fromEntries(Object.entries(compoundKinds).map(([kind, c]) => [kind, c.parts[0]]));
  // Failed inspections of this stage, newest first: production reads them before the form.
  const failed = recorded ? detail.inspections.filter((i) => i.inspection.result === "fail") : [];
  const lastFail = failed[0];
  // A stage that takes photos takes them with its fields (Store Received).
  const photoCount = detail.attachments.filter((a) => a.stage === order.stage && a.contentType.startsWith("image/")).length;
  const photos = current.attachments?.images && can.order(actor, "addAttachment", order) ? { label: current.attachments.label, help: describeUploadLimits(uploadLimits()), accept: attachmentTypes.filter((t) => t.startsWith("image/")).join(",") } : null;
  return (
    <section aria-labelledby="current-title" className="space-y-5 rounded-lg border border-indigo-200 bg-white p-5 shadow-sm">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="current-title" className="text-lg font-semibold">
          Stage {current.number}: {current.name}
        </h2>
        <p className="text-sm text-slate-600">
          Owner {roleLabel(current.owner)} · workers {current.workers.map(roleLabel).join(", ")} · target {current.target.label}
        </p>
      </div>
      {readOnly.length > 0 && (
        <p className="rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-600">
          Read-only for you: {readOnly.map((f) => `${f.label} (${(f.editors ?? stageParticipants(stageOfField(f.key))).map(roleLabel).join(", ")})`).join("; ")}.
        </p>
      )}
      {lastFail && (
        <div role="status" data-testid="failed-inspections" className={`rounded-md border p-3 text-sm ${latestInspection === "fail" ? "border-rose-300 bg-rose-50 text-rose-900" : "border-slate-200 bg-slate-50 text-slate-700"}`}>
          <p className="font-semibold">
            {latestInspection === "fail" ? `Rework: quality control failed this order ×${failed.length}` : `Quality control failed this order ×${failed.length} before; the latest inspection passed`}
          </p>
          <p>
            Latest failure: {lastFail.inspection.notes} — {lastFail.inspectorName}, {formatDateTime(lastFail.inspection.createdAt, zone)}
          </p>
        </div>
      )}
      <StageForm
        orderId={order.id}
        photos={photos}
        photoCount={photoCount}
        beside={capacity ? { productionSchedule: <CapacityPanel capacity={capacity} /> } : undefined}
        version={order.version}
        stage={order.stage}
        stageName={current.name}
        fields={formFields}
        stageFields={stageFields}
        compoundParts={compoundParts}
        checklist={stageChecklist({ stage: order.stage, fields: order.fields, doneTodos: order.doneTodos, latestInspection, photos: photoCount })}
        defaults={formDefaults(order.fields, zone)}
        timeZone={zone}
        stored={order.fields}
        doneTodos={order.doneTodos}
        latestInspection={latestInspection}
        editable={editable}
        canComplete={can.order(actor, "completeStage", order)}
        todos={
          <div className="space-y-2 border-t border-slate-100 pt-4">
            <h3 className="font-semibold">To-dos</h3>
            <TodoList
              orderId={order.id}
              version={order.version}
              canToggle={can.order(actor, "toggleTodo", order)}
              todos={current.todos.map((t) => ({ key: todoKey(order.stage, t.key), label: t.label, done: order.doneTodos.includes(todoKey(order.stage, t.key)) }))}
            />
          </div>
        }
      />

      {recorded && <Inspections detail={detail} def={recorded} canRecord={can.order(actor, "recordInspection", order)} canMarkReady={can.order(actor, "markReadyForReinspection", order)} zone={zone} />}

    </section>
  );
}
