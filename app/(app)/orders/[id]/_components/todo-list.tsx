import { ActionAnswer, ActionForm, ActionScope } from "@/components/order/action-form";
import { SubmitButton } from "@/components/ui/button";
import { toggleTodoAction } from "../../actions";

type Todo = { key: string; label: string; done: boolean };

/**
 * The stage's to-dos; each tick is its own small form so it works without JavaScript too. Drawn
 * on the server; a refused tick is told below the list.
 */
export function TodoList({ orderId, version, todos, canToggle }: { orderId: number; version: number; todos: Todo[]; canToggle: boolean }) {
  return (
    <ActionScope action={toggleTodoAction}>
      <div className="space-y-2">
        <ul className="space-y-1.5">
          {todos.map((t) => (
            <li key={t.key}>
              <ActionForm>
                <input type="hidden" name="orderId" value={orderId} />
                <input type="hidden" name="version" value={version} />
                <input type="hidden" name="todo" value={t.key} />
                <input type="hidden" name="done" value={t.done ? "false" : "true"} />
                <SubmitButton
                  variant="plain"
                  role="checkbox"
                  aria-checked={t.done}
                  disabled={!canToggle}
                  className="flex min-h-10 w-full items-center gap-3 rounded-md border border-slate-200 bg-white px-3 py-2 text-left text-sm hover:bg-slate-50 disabled:cursor-default disabled:hover:bg-white"
                >
                  <span aria-hidden="true" className={`flex size-5 shrink-0 items-center justify-center rounded border ${t.done ? "border-emerald-600 bg-emerald-600 text-white" : "border-slate-400 bg-white"}`}>
                    {t.done ? "✓" : ""}
                  </span>
                  <span className={t.done ? "text-slate-500 line-through" : ""}>{t.label}</span>
                </SubmitButton>
              </ActionForm>
            </li>
          ))}
        </ul>
        <ActionAnswer errorsOnly />
      </div>
    </ActionScope>
  );
}
