import { SignedOutNotice } from "@/components/ui/field";
import type { ActionState } from "@/lib/result";

/**
 * The result of an action: success, a form-level error, a conflict with what changed, or the
 * session ended (`retry` names the button to press again after signing in).
 */
export function ActionFeedback({ state, details, retry }: { state: ActionState; details?: string[]; retry?: string }) {
  if (state.signedOut) return <SignedOutNotice retry={retry} />;
  if (state.ok && state.message) {
    return (
      <p role="status" className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
        {state.message}
      </p>
    );
  }
  if (!state.formError) return null;
  return (
    <div role="alert" className="space-y-2 rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800">
      <p className="font-medium">{state.formError}</p>
      {details && details.length > 0 && (
        <ul className="list-disc pl-5">
          {details.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
      )}
      {state.conflict && (
        <>
          {state.conflict.changes.length > 0 && (
            <ul className="list-disc space-y-0.5 pl-5">
              {state.conflict.changes.map((c, i) => (
                <li key={i}>
                  <span className="font-medium">{c.who}</span>, {c.when}: {c.text}
                </li>
              ))}
            </ul>
          )}
          <p>Your input is still in the form: press the button again to save yours over it, or change it first.</p>
        </>
      )}
      {state.openTodos && (
        <ul className="list-disc pl-5">
          {state.openTodos.map((t) => (
            <li key={t}>{t}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
