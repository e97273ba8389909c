"use client";

import { type ReactNode, useActionState, useEffect, useId, useRef, useState, useSyncExternalStore } from "react";
import { ActionFeedback } from "@/components/order/action-feedback";
import { FieldControl } from "@/components/order/field-control";
import { LazyCompoundControl } from "@/components/order/lazy-compound-control";
import { Field, describedBy } from "@/components/ui/field";
import { buttonClass } from "@/components/ui/styles";
import type { StageChecklist } from "@/lib/orders/checklist";
import type { ActionState } from "@/lib/result";
import type { FieldDef, FieldKey, FieldValues, InspectionResult, StageKey } from "@/lib/workflow";
import { saveStageAction } from "../../actions";
import { useLeaveWarning } from "./use-leave-warning";

export type StageFormProps = {
  orderId: number;
  version: number;
  stage: StageKey;
  /** The stage's name, its form fields (all but those recorded on their own), and all its fields, for the error summary's names. */
  stageName: string;
  fields: FieldDef[];
  stageFields: FieldDef[];
  /** Compound field kinds' control names (lib/workflow compoundKinds), for the error links. */
  compoundParts: Partial<Record<string, string>>;
  /** The checklist for the stored values, computed by the page. */
  checklist: StageChecklist;
  /** Stored values as form strings (a date and time as its wall time in `timeZone`). */
  defaults: Record<string, string>;
  /** The zone the form's date-and-time controls are drawn and read in: the account's. */
  timeZone: string;
  /** Stored values, for the checklist. */
  stored: FieldValues;
  doneTodos: string[];
  latestInspection: InspectionResult | null;
  editable: FieldKey[];
  canComplete: boolean;
  /** The stage's to-dos, placed between the fields and the buttons: fill, tick, complete. */
  todos: ReactNode;
  /** A stage that takes photos with its fields (Store Received), for an account that may add them. */
  photos: { label: string; help: string; accept: string } | null;
  /** Images attached in this stage so far, for the checklist as it is typed. */
  photoCount: number;
  /** Shown after a field's controls: the capacity around the Production Schedule. */
  beside?: Partial<Record<FieldKey, ReactNode>>;
};

/** The id a field's error links to: the control itself, or a compound field's first part. */
function controlId(errorKey: string, stageFields: FieldDef[], compoundParts: StageFormProps["compoundParts"]): string {
  const [key, part] = errorKey.split(".");
  if (part) return errorKey;
  const first = compoundParts[stageFields.find((f) => f.key === key)?.input.kind ?? ""];
  return first ? `${key}.${first}` : key;
}

const noSubscription = () => () => {};

/**
 * The current stage's fields, its checklist and its buttons: a plain HTML form first. Before (or
 * without) JavaScript it submits every field the account may edit, and the server keeps only those
 * that differ from what the form drew for its version (lib/orders/commands.ts saveStage). Once
 * hydrated, it says which fields were edited, so the server checks only those against the version
 * they were loaded at, and a colleague's change to something else is no conflict. What a person
 * types survives every other action on the page (a to-do, an inspection, a colleague's change
 * arriving): a field is re-mounted with the stored value only while the person has not edited it.
 * The checklist comes from the page for the stored values; the rules that recompute it as a person
 * types (with the field schemas) load on the first edit.
 */
export function StageForm({ orderId, version, stage, stageName, fields, stageFields, compoundParts, checklist, defaults, timeZone, stored, doneTodos, latestInspection, editable, canComplete, todos, photos, photoCount, beside }: StageFormProps) {
  const [state, action, pending] = useActionState(saveStageAction, {} as ActionState);
  // False while the page is server-rendered and before hydration, true after: the server's HTML
  // names every editable field, the hydrated form only the edited ones.
  const hydrated = useSyncExternalStore(noSubscription, () => true, () => false);
  // The button pressed ("save" or "complete"), for the pending state and the signed-out notice.
  const [pressed, setPressed] = useState<"save" | "complete">("save");
  const formId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const feedbackRef = useRef<HTMLDivElement>(null);
  // Fields edited since they were last saved, each with the stored value it was edited from.
  const [dirty, setDirty] = useState<Map<FieldKey, string>>(new Map());
  const [baseVersion, setBaseVersion] = useState(version);
  // After a refused submission each edited field re-mounts once, showing what was submitted (a
  // select's default cannot change after mount, and React resets the form after every action).
  const [generation, setGeneration] = useState<Map<FieldKey, number>>(new Map());
  // The checklist for what is typed, while anything is; null follows the page's.
  const [typedCheck, setTypedCheck] = useState<StageChecklist | null>(null);
  const recomputed = useRef(0);
  const storedKey = (key: FieldKey) => JSON.stringify(Object.entries(defaults).filter(([k]) => k === key || k.startsWith(`${key}.`)));

  // After an action: saved fields are clean again; a conflict rebases onto the current version,
  // so the next press (having seen both values) saves the person's own.
  const [handled, setHandled] = useState(state);
  if (handled !== state) {
    setHandled(state);
    if (state.ok) {
      setDirty(new Map());
      setBaseVersion(version);
    } else {
      if (state.conflict) setBaseVersion(state.conflict.currentVersion);
      if (state.values) setGeneration(new Map([...dirty.keys()].map((k) => [k, (generation.get(k) ?? 0) + 1])));
    }
  }
  // With nothing edited, the form follows the stored order.
  if (dirty.size === 0 && baseVersion !== version && !pending) setBaseVersion(version);

  useLeaveWarning(dirty.size > 0);

  // What was typed before hydration fired no event React saw: on hydrating, every control that no
  // longer holds what the server drew marks its field as edited, so the hydrated form sends it.
  useEffect(() => {
    const form = formRef.current;
    if (!form) return;
    const edited = new Map<FieldKey, string>();
    for (const element of Array.from(form.elements)) {
      const key = ((element as HTMLInputElement).name ?? "").split(".")[0] as FieldKey;
      if (!editable.includes(key) || edited.has(key)) continue;
      const changed =
        element instanceof HTMLSelectElement
          ? Array.from(element.options).some((o) => o.selected !== o.defaultSelected)
          : element instanceof HTMLInputElement && (element.type === "checkbox" || element.type === "radio")
            ? element.checked !== element.defaultChecked
            : (element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement) && element.value !== element.defaultValue;
      if (changed) edited.set(key, storedKey(key));
    }
    // Once, from the DOM as hydration found it: an outside state that no render could know.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (edited.size) setDirty(edited);
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  // The outcome gets the focus: the error summary, or the success message.
  useEffect(() => {
    if (state.formError || state.message) feedbackRef.current?.focus();
  }, [state]);

  // The checklist follows the form as it is typed, through the same rules the server applies.
  function recompute() {
    const form = formRef.current;
    const run = ++recomputed.current;
    if (!form || dirty.size === 0) return setTypedCheck(null);
    const edited = [...dirty.keys()];
    void import("@/lib/orders/checklist").then(({ typedChecklist }) => {
      if (run === recomputed.current) setTypedCheck(typedChecklist(form, edited, { stage, fields: stored, doneTodos, latestInspection, photos: photoCount }));
    });
  }
  useEffect(recompute, [checklist, dirty]); // eslint-disable-line react-hooks/exhaustive-deps

  function onEdit(event: React.FormEvent<HTMLFormElement>) {
    const target = event.target as HTMLInputElement;
    const name = target.dataset?.field || target.name || "";
    const key = name.split(".")[0] as FieldKey;
    if (!editable.includes(key)) return;
    if (!dirty.has(key)) setDirty(new Map(dirty).set(key, storedKey(key)));
    else recompute();
  }

  const values = !state.ok && state.values ? state.values : defaults;
  const errors = state.fieldErrors ?? {};
  const check = (dirty.size > 0 && typedCheck) || checklist;
  const { missing, outcome } = check;
  const errorList = Object.entries(errors).map(([key, messages]) => ({ key, text: messages.join(" ") }));

  return (
    <div className="space-y-5">
      <form
        ref={formRef}
        id={formId}
        action={action}
        onInput={onEdit}
        onChange={onEdit}
        onSubmit={(e) => setPressed((e.nativeEvent as SubmitEvent).submitter?.getAttribute("value") === "complete" ? "complete" : "save")}
        className="space-y-5"
        noValidate
        aria-label={`${stageName} form`}
        data-unsaved={dirty.size > 0 || undefined}
      >
        <input type="hidden" name="orderId" value={orderId} />
        <input type="hidden" name="version" value={dirty.size ? baseVersion : version} />
        <input type="hidden" name="stage" value={stage} />
        <input type="hidden" name="editable" value={(hydrated ? editable.filter((k) => dirty.has(k)) : editable).join(",")} />
        <input type="hidden" name="timeZone" value={timeZone} />
        {fields.map((f) => (
          <div key={f.key} className="space-y-3">
            <FieldControl key={`${f.key}:${dirty.get(f.key) ?? storedKey(f.key)}:${generation.get(f.key) ?? 0}`} def={f} values={values} errors={errors} disabled={!editable.includes(f.key)} timeZone={timeZone} compound={LazyCompoundControl} />
            {beside?.[f.key]}
          </div>
        ))}
        {photos && (
          <Field id="photos" label={photos.label} help={photos.help} errors={errors.photos}>
            <input
              id="photos"
              name="photos"
              type="file"
              multiple
              accept={photos.accept}
              className="block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-indigo-50 file:px-3 file:py-2 file:text-indigo-700"
              {...describedBy("photos", { help: "photos", errors: errors.photos })}
            />
          </Field>
        )}
      </form>

      {todos}

      {canComplete && (
        <section aria-labelledby={`${formId}-checklist`} className="rounded-md border border-slate-200 bg-slate-50 p-3 text-sm">
          <h3 id={`${formId}-checklist`} className="font-semibold">Before completing this stage</h3>
          {missing.length === 0 && check.openTodos === 0 ? (
            <p className="mt-1 text-emerald-800">Ready: completing {outcome}.</p>
          ) : (
            <ul className="mt-1 list-disc space-y-0.5 pl-5 text-slate-700" aria-live="polite">
              {missing.map((m) => (
                <li key={m.key}>{m.text}</li>
              ))}
              {check.openTodos > 0 && (
                <li>
                  {check.openTodos} open to-do{check.openTodos > 1 ? "s" : ""}: tick {check.openTodos > 1 ? "them" : "it"}, or confirm completing without
                </li>
              )}
            </ul>
          )}
        </section>
      )}

      <div ref={feedbackRef} tabIndex={-1} className="outline-none">
        {!state.ok && errorList.length > 0 ? (
          <div role="alert" className="space-y-1 rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-800">
            <p className="font-medium">{state.formError}</p>
            <ul className="list-disc pl-5">
              {errorList.map((e) => (
                <li key={e.key}>
                  <a href={`#${controlId(e.key, stageFields, compoundParts)}`} className="underline">
                    {stageFields.find((f) => f.key === e.key.split(".")[0])?.label ?? (e.key === "photos" && photos ? photos.label : e.key)}: {e.text}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <ActionFeedback state={state} retry={pressed === "complete" ? "Complete stage" : "Save"} />
        )}
      </div>

      {(editable.length > 0 || canComplete) && (
        // On a phone the buttons stay at the foot of the screen while the form is in view: no scrolling past the fields to save.
        <div data-testid="stage-actions" className="stage-actions">
          {editable.length > 0 && (
            <button type="submit" form={formId} name="intent" value="save" disabled={pending} data-ctrl-s className={buttonClass("secondary")}>
              {pending && pressed === "save" ? "Saving…" : "Save"}
            </button>
          )}
          {canComplete && (
            <>
              {check.openTodos > 0 && (
                <label className="flex min-h-10 items-center gap-2 text-sm text-slate-700 max-sm:order-last max-sm:min-h-6 max-sm:w-full">
                  <input type="checkbox" form={formId} name="confirmOpenTodos" className="size-4 accent-indigo-600" />
                  Complete with {check.openTodos} open to-do{check.openTodos > 1 ? "s" : ""}
                </label>
              )}
              <button type="submit" form={formId} name="intent" value="complete" disabled={pending} className={buttonClass("primary")}>
                {pending && pressed === "complete" ? "Completing…" : "Complete stage"}
              </button>
            </>
          )}
          {dirty.size > 0 && <span className="text-xs text-amber-800">Unsaved changes</span>}
        </div>
      )}
    </div>
  );
}
