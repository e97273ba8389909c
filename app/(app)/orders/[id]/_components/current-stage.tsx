import { Badge } from "@/components/ui/badge";
import type { OrderDetail } from "@/db/queries/orders";
import { can } from "@/lib/auth/policy";
import { formatDateTime } from "@/lib/format";
import { formDefaults } from "@/lib/orders/form";
import { type Actor, isFormField, openTodos, roleLabel, stage as stageDef, stageParticipants, todoKey } from "@/lib/workflow";
import { InspectionForm } from "./inspection-form";
import { StageForm } from "./stage-form";
import { TodoList } from "./todo-list";

/** The active stage: its form (editable where this account may), inspections, to-dos. */
export function CurrentStage({ detail, actor }: { detail: OrderDetail; actor: Actor }) {
  const { order } = detail;
  const current = stageDef(order.stage);
  const formFields = current.fields.filter(isFormField);
  const editable = formFields.filter((f) => can.order(actor, "editField", order, f.key)).map((f) => f.key);
  const readOnly = formFields.filter((f) => !editable.includes(f.key));
  const recorded = current.fields.find((f) => f.recordedAs === "inspection");
  const open = openTodos(order.stage, order.doneTodos).map((t) => t.label);
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
          Read-only for you: {readOnly.map((f) => `${f.label} (${(f.editors ?? stageParticipants(order.stage)).map(roleLabel).join(", ")})`).join("; ")}.
        </p>
      )}
      <StageForm
        orderId={order.id}
        version={order.version}
        stage={order.stage}
        defaults={formDefaults(order.fields)}
        editable={editable}
        canComplete={can.order(actor, "completeStage", order)}
        openTodos={open}
      />

      {recorded && (
        <div className="space-y-3 border-t border-slate-100 pt-4">
          <h3 className="font-semibold">Inspections</h3>
          {detail.inspections.length === 0 ? (
            <p className="text-sm text-slate-600">No inspection yet.</p>
          ) : (
            <ol className="space-y-1.5 text-sm">
              {detail.inspections.map(({ inspection, inspectorName }) => (
                <li key={inspection.id} className="flex flex-wrap items-center gap-2">
                  <Badge tone={inspection.result === "pass" ? "emerald" : "rose"}>{inspection.result === "pass" ? "Pass" : "Fail"}</Badge>
                  <span>{inspection.notes}</span>
                  <span className="text-slate-500">— {inspectorName}, {formatDateTime(inspection.createdAt)}</span>
                </li>
              ))}
            </ol>
          )}
          {can.order(actor, "recordInspection", order) && <InspectionForm orderId={order.id} version={order.version} def={recorded} />}
        </div>
      )}

      <div className="space-y-2 border-t border-slate-100 pt-4">
        <h3 className="font-semibold">To-dos</h3>
        <TodoList
          orderId={order.id}
          version={order.version}
          canToggle={can.order(actor, "toggleTodo", order)}
          todos={current.todos.map((t) => ({ key: todoKey(order.stage, t.key), label: t.label, done: order.doneTodos.includes(todoKey(order.stage, t.key)) }))}
        />
      </div>
    </section>
  );
}
