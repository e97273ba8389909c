"use client";

import { type ReactNode, useActionState, useEffect, useId, useRef, useState } from "react";
import { ActionFeedback } from "@/components/order/action-feedback";
import { FieldControl } from "@/components/order/field-control";
import { buttonClass } from "@/components/ui/styles";
import { formObject } from "@/lib/forms/form-data";
import { readStageFields } from "@/lib/orders/form";
import type { ActionState } from "@/lib/result";
import {
  type FieldKey,
  type FieldValues,
  type InspectionResult,
  type StageKey,
  compoundKinds,
  completion,
  field as fieldDef,
  isFormField,
  parseField,
  roleLabel,
  stage as stageDef,
} from "@/lib/workflow";
import { saveStageAction } from "../../actions";
import { useLeaveWarning } from "./use-leave-warning";

type Props = {
  orderId: number;
  version: number;
  stage: StageKey;
  /** Stored values as form strings. */
  defaults: Record<string, string>;
  /** Stored values, for the checklist. */
  stored: FieldValues;
  doneTodos: string[];
  latestInspection: InspectionResult | null;
  editable: FieldKey[];
  canComplete: boolean;
  /** The stage's to-dos, placed between the fields and the buttons: fill, tick, complete. */
  todos: ReactNode;
};

/** The id a field's error links to: the control itself, or a compound field's first part. */
function controlId(errorKey: string): string {
  const [key, part] = errorKey.split(".");
  if (part) return errorKey;
  const compound = compoundKinds[fieldDef(key as FieldKey)?.input.kind];
  return compound ? `${key}.${compound.parts[0]}` : key;
}

/**
 * The current stage's fields, its checklist and its buttons. What a person types survives every
 * other action on the page (a to-do, an inspection, a colleague's change arriving): a field is
 * re-mounted with the stored value only while the person has not edited it. Only edited fields
 * are sent, each checked against the version it was loaded at, so a colleague's change to
 * something else is no conflict.
 */
export function StageForm({ orderId, version, stage, defaults, stored, doneTodos, latestInspection, editable, canComplete, todos }: Props) {
  const [state, action, pending] = useActionState(saveStageAction, {} as ActionState);
  const formId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const feedbackRef = useRef<HTMLDivElement>(null);
  // Fields edited since they were last saved, each with the stored value it was edited from.
  const [dirty, setDirty] = useState<Map<FieldKey, string>>(new Map());
  const [baseVersion, setBaseVersion] = useState(version);
  // After a refused submission each edited field re-mounts once, showing what was submitted (a
  // select's default cannot change after mount, and React resets the form after every action).
  const [generation, setGeneration] = useState<Map<FieldKey, number>>(new Map());
  const [live, setLive] = useState<FieldValues>(stored);
  const def = stageDef(stage);
  const fields = def.fields.filter(isFormField);
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

  // The outcome gets the focus: the error summary, or the success message.
  useEffect(() => {
    if (state.formError || state.message) feedbackRef.current?.focus();
  }, [state]);

  // The checklist follows the form as it is typed, through the same rules the server applies.
  function recompute() {
    const form = formRef.current;
    if (!form) return;
    const typed = readStageFields(stage, formObject(new FormData(form)), [...dirty.keys()]);
    const next: FieldValues = { ...stored };
    for (const [key, raw] of Object.entries(typed)) {
      const k = key as FieldKey;
      if (raw === "") delete next[k];
      else {
        const parsed = parseField(k, raw);
        if (parsed.ok) (next as Record<string, unknown>)[k] = parsed.value;
        else delete next[k];
      }
    }
    setLive(next);
  }
  useEffect(recompute, [stored, dirty]); // eslint-disable-line react-hooks/exhaustive-deps

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
  const check = completion({ stage, fields: live, doneTodos }, latestInspection);
  const missing = Object.entries(check.errors).map(([key, messages]) => {
    const f = fieldDef(key.split(".")[0] as FieldKey);
    const who = f?.recordedAs && f.editors ? ` (recorded by ${f.editors.map(roleLabel).join(", ")})` : "";
    return { key, text: `${messages[0]}${who}` };
  });
  const outcome = check.outcome.kind === "hold" ? "puts the order on hold" : check.outcome.kind === "complete" ? "completes the order" : `moves it to ${stageDef(check.outcome.to).name}`;
  const errorList = Object.entries(errors).map(([key, messages]) => ({ key, text: messages.join(" ") }));

  return (
    <div className="space-y-5">
      <form ref={formRef} id={formId} action={action} onInput={onEdit} onChange={onEdit} className="space-y-5" noValidate aria-label={`${def.name} form`}>
        <input type="hidden" name="orderId" value={orderId} />
        <input type="hidden" name="version" value={dirty.size ? baseVersion : version} />
        <input type="hidden" name="stage" value={stage} />
        <input type="hidden" name="editable" value={editable.filter((k) => dirty.has(k)).join(",")} />
        {fields.map((f) => (
          <FieldControl key={`${f.key}:${dirty.get(f.key) ?? storedKey(f.key)}:${generation.get(f.key) ?? 0}`} def={f} values={values} errors={errors} disabled={!editable.includes(f.key)} />
        ))}
      </form>

      {todos}

      {canComplete && (
        <section aria-labelledby={`${formId}-checklist`} className="rounded-md border border-slate-200 bg-slate-50 p-3 text-sm">
          <h3 id={`${formId}-checklist`} className="font-semibold">Before completing this stage</h3>
          {missing.length === 0 && check.openTodos.length === 0 ? (
            <p className="mt-1 text-emerald-800">Ready: completing {outcome}.</p>
          ) : (
            <ul className="mt-1 list-disc space-y-0.5 pl-5 text-slate-700" aria-live="polite">
              {missing.map((m) => (
                <li key={m.key}>{m.text}</li>
              ))}
              {check.openTodos.length > 0 && (
                <li>
                  {check.openTodos.length} open to-do{check.openTodos.length > 1 ? "s" : ""}: tick {check.openTodos.length > 1 ? "them" : "it"}, or confirm completing without
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
                  <a href={`#${controlId(e.key)}`} className="underline">
                    {fieldDef(e.key.split(".")[0] as FieldKey)?.label ?? e.key}: {e.text}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <ActionFeedback state={state} />
        )}
      </div>

      {(editable.length > 0 || canComplete) && (
        <div className="flex flex-wrap items-center gap-3 border-t border-slate-100 pt-4">
          {editable.length > 0 && (
            <button type="submit" form={formId} name="intent" value="save" disabled={pending} className={buttonClass("secondary")}>
              {pending ? "Working…" : "Save"}
            </button>
          )}
          {canComplete && (
            <>
              {check.openTodos.length > 0 && (
                <label className="flex min-h-10 items-center gap-2 text-sm text-slate-700">
                  <input type="checkbox" form={formId} name="confirmOpenTodos" className="size-4 accent-indigo-600" />
                  Complete with {check.openTodos.length} open to-do{check.openTodos.length > 1 ? "s" : ""}
                </label>
              )}
              <button type="submit" form={formId} name="intent" value="complete" disabled={pending} className={buttonClass("primary")}>
                {pending ? "Working…" : "Complete stage"}
              </button>
            </>
          )}
          {dirty.size > 0 && <span className="text-xs text-amber-800">Unsaved changes</span>}
        </div>
      )}
    </div>
  );
}
