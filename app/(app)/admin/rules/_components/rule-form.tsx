"use client";

import { useActionState } from "react";
import type { AutomationRule } from "@/db/schema";
import { Field, FormMessage, describedBy, inputClass } from "@/components/ui/field";
import { SubmitButton } from "@/components/ui/button";
import type { ActionState } from "@/lib/result";
import { priorities, priorityLabels } from "@/lib/automation/schemas";
import { roles } from "@/lib/workflow";
import { updateRuleAction } from "../actions";

/** An administrator's editor for one rule: on/off, message, who is told, priority. */
export function RuleForm({ rule }: { rule: Pick<AutomationRule, "id" | "enabled" | "message" | "recipientRole" | "priority"> }) {
  const [state, action] = useActionState(updateRuleAction, {} as ActionState);
  const err = state.fieldErrors ?? {};
  const v = state.values;
  const id = (name: string) => `rule-${rule.id}-${name}`;
  // After a failed save the form shows what was submitted; otherwise the stored rule.
  const enabled = v ? v.enabled === "on" : rule.enabled;
  const help = { message: "Shown in the inbox and used as the email's subject.", recipientRole: "Store managers are limited to the order's own store." };
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="ruleId" value={rule.id} />
      <FormMessage error={state.formError} success={state.ok ? state.message : undefined} />
      <div className="flex items-center gap-3">
        <input
          id={id("enabled")}
          name="enabled"
          type="checkbox"
          defaultChecked={enabled}
          key={`enabled-${String(enabled)}`}
          className="size-5 rounded border-slate-300 text-indigo-600 focus:ring-indigo-500"
        />
        <label htmlFor={id("enabled")} className="text-sm font-medium text-slate-800">
          Enabled
        </label>
      </div>
      <Field id={id("message")} label="Message" required errors={err.message} help={help.message}>
        <textarea
          id={id("message")}
          name="message"
          rows={2}
          required
          maxLength={300}
          defaultValue={v?.message ?? rule.message}
          className={inputClass}
          {...describedBy(id("message"), { errors: err.message, help: help.message })}
        />
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id={id("recipientRole")} label="Notify" required errors={err.recipientRole} help={help.recipientRole}>
          <select
            id={id("recipientRole")}
            name="recipientRole"
            defaultValue={v?.recipientRole ?? rule.recipientRole}
            className={inputClass}
            {...describedBy(id("recipientRole"), { errors: err.recipientRole, help: help.recipientRole })}
          >
            {roles.map((r) => (
              <option key={r.key} value={r.key}>
                {r.label}
              </option>
            ))}
          </select>
        </Field>
        <Field id={id("priority")} label="Priority" required errors={err.priority}>
          <select
            id={id("priority")}
            name="priority"
            defaultValue={v?.priority ?? rule.priority}
            className={inputClass}
            {...describedBy(id("priority"), { errors: err.priority })}
          >
            {priorities.map((p) => (
              <option key={p} value={p}>
                {priorityLabels[p]}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <SubmitButton pendingText="Saving…">Save rule</SubmitButton>
    </form>
  );
}
