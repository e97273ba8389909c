"use client";

import { useActionState, useState } from "react";
import type { AutomationRule } from "@/db/schema";
import { Field, FormMessage, describedBy, inputClass } from "@/components/ui/field";
import { AskFirst } from "@/components/ui/ask-first";
import { SubmitButton } from "@/components/ui/button";
import { CheckboxGroup } from "@/components/ui/checkbox-group";
import type { ActionState } from "@/lib/result";
import { type Option } from "@/lib/forms/fields";
import { submittedList } from "@/lib/forms/form-data";
import { createRuleAction, deleteRuleAction, restoreRuleAction, updateRuleAction } from "../actions";

export type RuleFormOptions = {
  triggerTypes: Option[];
  stages: Option[];
  fields: (Option & { values: Option[] })[];
  results: Option[];
  events: Option[];
  recipients: Option[];
  priorities: Option[];
  placeholders: string[];
};

type RuleValues = Pick<AutomationRule, "id" | "name" | "enabled" | "message" | "priority" | "trigger"> & { recipientTokens: string[]; stageKeys: string[] };

const fold = (s: string) => s.trim().toLowerCase();
/** A stored value as one of the field's options (a rule saved before values were normalised may hold the label). */
const optionValue = (values: Option[], value: string) => values.find((o) => fold(o.value) === fold(value) || fold(o.label) === fold(value))?.value ?? value;

/**
 * An administrator's editor for one rule (or a new one): name, on/off, what triggers it, who is
 * told, the message and its priority. The command checks every part; this only lays it out.
 */
export function RuleForm({ rule, options }: { rule?: RuleValues; options: RuleFormOptions }) {
  const [state, action] = useActionState(rule ? updateRuleAction : createRuleAction, {} as ActionState);
  const err = state.fieldErrors ?? {};
  const v = state.values;
  const id = (name: string) => `rule-${rule?.id ?? "new"}-${name}`;
  const t = rule?.trigger;
  // A rule created: the next one starts with no recipients ticked.
  const [created, setCreated] = useState(0);
  const [handled, setHandled] = useState(state);
  if (handled !== state) {
    setHandled(state);
    if (state.ok && !rule) setCreated(created + 1);
  }
  const enabled = v ? v.enabled === "on" : (rule?.enabled ?? true);
  const defaults = {
    name: v?.name ?? rule?.name ?? "",
    message: v?.message ?? rule?.message ?? "",
    priority: v?.priority ?? rule?.priority ?? "normal",
    triggerType: v?.triggerType ?? t?.type ?? "stage_entered",
    triggerField: v?.triggerField ?? (t?.type === "field_equals" ? t.field : ""),
    triggerValue: v?.triggerValue ?? (t?.type === "field_equals" ? t.value : ""),
    triggerResult: v?.triggerResult ?? (t?.type === "inspection_recorded" ? (t.result ?? "") : ""),
    triggerEvent: v?.triggerEvent ?? (t?.type === "order_event" ? t.event : ""),
  };
  // The value control follows the field: a choice field's options, or text. Without JavaScript it
  // is the one for the field shown when the page was made, and the command says what fits.
  const [field, setField] = useState(defaults.triggerField);
  const [shownFor, setShownFor] = useState(defaults.triggerField);
  if (shownFor !== defaults.triggerField) {
    setShownFor(defaults.triggerField);
    setField(defaults.triggerField);
  }
  const choices = options.fields.find((f) => f.value === field)?.values ?? [];
  const help = {
    message: `Shown in the inbox and used as the email's subject; the reason (notes, proposal, not-feasible reason) is added. May name ${options.placeholders.join(", ")}.`,
    triggerStages: "For “enters a stage”, tick that stage; for at risk or overdue, tick the stages to watch (none: every stage).",
    triggerValue: choices.length ? "For a field rule: one of the field's options." : "For a field rule: the text, compared without regard to case or surrounding spaces.",
  };
  return (
    <form action={action} className="space-y-4" noValidate aria-label={rule ? `Edit ${rule.name}` : "New rule"}>
      {rule && <input type="hidden" name="ruleId" value={rule.id} />}
      <FormMessage error={state.formError} signedOut={state.signedOut} success={state.ok ? state.message : undefined} />
      <div className="grid gap-4 sm:grid-cols-[1fr_auto] sm:items-end">
        <Field id={id("name")} label="Name" required errors={err.name}>
          <input id={id("name")} name="name" defaultValue={defaults.name} maxLength={80} className={inputClass} {...describedBy(id("name"), { errors: err.name })} />
        </Field>
        <div className="flex items-center gap-3 pb-2">
          <input id={id("enabled")} name="enabled" type="checkbox" defaultChecked={enabled} key={`enabled-${String(enabled)}`} className="size-5 rounded border-slate-300 text-indigo-600" />
          <label htmlFor={id("enabled")} className="text-sm font-medium text-slate-800">
            Enabled
          </label>
        </div>
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id={id("triggerType")} label="When" required errors={err.triggerType}>
          <select key={defaults.triggerType} id={id("triggerType")} name="triggerType" defaultValue={defaults.triggerType} className={inputClass}>
            {options.triggerTypes.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </Field>
        <Field id={id("triggerField")} label="Field (field rules)" errors={err.triggerField}>
          <select key={defaults.triggerField} id={id("triggerField")} name="triggerField" defaultValue={defaults.triggerField} onChange={(e) => setField(e.target.value)} className={inputClass}>
            <option value="">—</option>
            {options.fields.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </Field>
        <Field id={id("triggerValue")} label="Equals (field rules)" errors={err.triggerValue} help={help.triggerValue}>
          {choices.length ? (
            <select
              key={`${field}-${defaults.triggerValue}`}
              id={id("triggerValue")}
              name="triggerValue"
              defaultValue={optionValue(choices, defaults.triggerValue)}
              className={inputClass}
              {...describedBy(id("triggerValue"), { errors: err.triggerValue, help: help.triggerValue })}
            >
              <option value="">—</option>
              {choices.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          ) : (
            <input
              key={`text-${defaults.triggerValue}`}
              id={id("triggerValue")}
              name="triggerValue"
              defaultValue={defaults.triggerValue}
              className={inputClass}
              {...describedBy(id("triggerValue"), { errors: err.triggerValue, help: help.triggerValue })}
            />
          )}
        </Field>
        <Field id={id("triggerResult")} label="Result (inspection rules)" errors={err.triggerResult}>
          <select key={defaults.triggerResult} id={id("triggerResult")} name="triggerResult" defaultValue={defaults.triggerResult} className={inputClass}>
            <option value="">Any result</option>
            {options.results.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </Field>
        <Field id={id("triggerEvent")} label="Hand-off (hand-off rules)" errors={err.triggerEvent}>
          <select key={defaults.triggerEvent} id={id("triggerEvent")} name="triggerEvent" defaultValue={defaults.triggerEvent} className={inputClass}>
            <option value="">—</option>
            {options.events.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <CheckboxGroup
        key={`stages-${created}`}
        id={id("triggerStages")}
        name="triggerStages"
        legend="Stages"
        options={options.stages}
        initial={submittedList(state, "triggerStages") ?? rule?.stageKeys ?? []}
        help={help.triggerStages}
        errors={err.triggerStages}
      />
      <CheckboxGroup key={created} id={id("recipients")} name="recipients" legend="Notify" options={options.recipients} initial={submittedList(state, "recipients") ?? rule?.recipientTokens ?? []} errors={err.recipients} />
      <Field id={id("message")} label="Message" required errors={err.message} help={help.message}>
        <textarea id={id("message")} name="message" rows={2} maxLength={300} defaultValue={defaults.message} className={inputClass} {...describedBy(id("message"), { errors: err.message, help: help.message })} />
      </Field>
      <Field id={id("priority")} label="Priority" required errors={err.priority}>
        <select key={defaults.priority} id={id("priority")} name="priority" defaultValue={defaults.priority} className={inputClass}>
          {options.priorities.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </Field>
      <SubmitButton pendingText="Saving…">{rule ? "Save rule" : "Create rule"}</SubmitButton>
    </form>
  );
}

/** Deleting a rule asks first (AskFirst), then archives it: the page lists it under "Deleted rules" with its "Undo". */
export function DeleteRuleForm({ ruleId, name }: { ruleId: number; name: string }) {
  const [state, action] = useActionState(deleteRuleAction, {} as ActionState);
  return (
    <form action={action} className="space-y-2">
      <input type="hidden" name="ruleId" value={ruleId} />
      <FormMessage error={state.formError} signedOut={state.signedOut} />
      <AskFirst state={state} cancelHref="/admin/rules">
        <SubmitButton variant="secondary" pendingText="Deleting…">
          Delete<span className="sr-only"> {name}</span>
        </SubmitButton>
      </AskFirst>
    </form>
  );
}

export function RestoreRuleForm({ ruleId, name }: { ruleId: number; name: string }) {
  const [state, action] = useActionState(restoreRuleAction, {} as ActionState);
  return (
    <form action={action} className="space-y-2">
      <input type="hidden" name="ruleId" value={ruleId} />
      <FormMessage error={state.formError} signedOut={state.signedOut} />
      <SubmitButton variant="secondary" pendingText="Restoring…">
        Undo delete<span className="sr-only"> of {name}</span>
      </SubmitButton>
    </form>
  );
}
