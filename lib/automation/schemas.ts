import { z } from "zod";
import type { OrderEvent, RecipientSpec, RuleTrigger } from "@/db/schema";
import { checkboxSchema } from "@/lib/forms/fields";
import { idSchemaWith, textSchema } from "@/lib/forms/input";
import { type RoleKey, field as fieldDef, isFieldKey, roleKeys, stageKeys, stageOfField } from "@/lib/workflow";
import { normaliseRuleValue, ruleValueOptions } from "./values";

/** Inputs of the automation pages, shared by their forms and server actions. */

export const priorities = ["low", "normal", "high"] as const;
export type Priority = (typeof priorities)[number];
export const priorityLabels: Record<Priority, string> = { low: "Low", normal: "Normal", high: "High" };

export const triggerTypes = [
  "field_equals",
  "stage_entered",
  "stage_at_risk",
  "stage_overdue",
  "delivery_at_risk",
  "inspection_recorded",
  "order_event",
] as const satisfies readonly RuleTrigger["type"][];
export const triggerTypeLabels: Record<RuleTrigger["type"], string> = {
  field_equals: "A field is set to a value",
  stage_entered: "An order enters a stage",
  stage_at_risk: "A stage turns at risk",
  stage_overdue: "A stage is overdue",
  delivery_at_risk: "The Required Delivery Date is at risk",
  inspection_recorded: "Quality control records an inspection",
  order_event: "A hand-off happens",
};

export const orderEvents = ["readyForReinspection", "proposalSent", "proposalAccepted", "proposalDeclined", "cancelled", "assigned"] as const satisfies readonly OrderEvent[];
export const inspectionResultChoices = ["pass", "fail"] as const;

/** Recipients as form values: `role:<key>` or a kind. */
export const recipientTokens = [...roleKeys.map((r) => `role:${r}` as const), "storeManagers", "stageOwner", "assignee", "commenters"] as const;
export const recipientToken = (r: RecipientSpec) => (r.kind === "role" ? `role:${r.role}` : r.kind);
const fromToken = (t: (typeof recipientTokens)[number]): RecipientSpec =>
  t.startsWith("role:") ? { kind: "role", role: t.slice(5) as RoleKey } : { kind: t as Exclude<RecipientSpec["kind"], "role"> };

const list = (v: unknown) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]);

const ruleFields = {
  name: textSchema({ min: 3, max: 80, singleLine: true, notText: "Name the rule", tooShort: "Name the rule (3 characters or more)", tooLong: "Keep the name under 80 characters" }),
  enabled: checkboxSchema,
  message: textSchema({
    min: 5,
    max: 300,
    singleLine: true,
    notText: "Write the message recipients get",
    tooShort: "Write a message of at least 5 characters",
    tooLong: "Keep the message under 300 characters: it is also the email's subject",
  }),
  priority: z.enum(priorities, { error: "Choose a priority" }),
  triggerType: z.enum(triggerTypes, { error: "Choose what triggers the rule" }),
  triggerStages: z.preprocess(list, z.array(z.enum(stageKeys, { error: "Choose a stage" }))),
  triggerField: textSchema({ max: 80, singleLine: true }).optional(),
  triggerValue: textSchema({ max: 200, singleLine: true }).optional(),
  triggerResult: z.preprocess((v) => (v === "" ? undefined : v), z.enum(inspectionResultChoices, { error: "Choose pass, fail or any result" }).optional()),
  triggerEvent: z.preprocess((v) => (v === "" ? undefined : v), z.enum(orderEvents, { error: "Choose the hand-off" }).optional()),
  recipients: z.preprocess(list, z.array(z.enum(recipientTokens, { error: "Unknown recipient" })).min(1, "Choose at least one recipient")),
};

type RuleForm = z.output<z.ZodObject<typeof ruleFields>>;

/** The form's trigger fields as a stored trigger; the issues say what is missing. */
function toRule(form: RuleForm, ctx: z.RefinementCtx) {
  let trigger: RuleTrigger | null = null;
  // In the order of the workflow, each once.
  const picked = stageKeys.filter((k) => form.triggerStages.includes(k));
  switch (form.triggerType) {
    case "field_equals": {
      const key = form.triggerField ?? "";
      if (!isFieldKey(key)) ctx.addIssue({ code: "custom", path: ["triggerField"], message: "Choose the field" });
      if (!form.triggerValue) {
        ctx.addIssue({ code: "custom", path: ["triggerValue"], message: "Give the value that triggers the rule" });
      } else if (isFieldKey(key)) {
        // Stored as what the field stores: a choice's key, whether its label or key was given.
        const value = normaliseRuleValue(key, form.triggerValue);
        if (value === null || value === "") {
          const choices = ruleValueOptions(key).map((o) => o.label);
          ctx.addIssue({ code: "custom", path: ["triggerValue"], message: `${fieldDef(key).label} is one of: ${choices.join(", ")}` });
        } else trigger = { type: "field_equals", stage: stageOfField(key), field: key, value };
      }
      break;
    }
    case "stage_entered":
      if (picked.length !== 1) ctx.addIssue({ code: "custom", path: ["triggerStages"], message: "Tick the one stage the order enters" });
      else trigger = { type: "stage_entered", stage: picked[0] };
      break;
    case "stage_at_risk":
    case "stage_overdue":
      trigger = picked.length ? { type: form.triggerType, stages: picked } : { type: form.triggerType };
      break;
    case "delivery_at_risk":
      trigger = { type: "delivery_at_risk" };
      break;
    case "inspection_recorded":
      trigger = form.triggerResult ? { type: "inspection_recorded", result: form.triggerResult } : { type: "inspection_recorded" };
      break;
    case "order_event":
      if (!form.triggerEvent) ctx.addIssue({ code: "custom", path: ["triggerEvent"], message: "Choose the hand-off" });
      else trigger = { type: "order_event", event: form.triggerEvent };
      break;
  }
  if (!trigger) return z.NEVER;
  return {
    name: form.name,
    enabled: form.enabled,
    message: form.message,
    priority: form.priority,
    trigger,
    recipients: [...new Set(form.recipients)].map(fromToken),
  };
}

export const createRuleSchema = z.object(ruleFields).transform(toRule);
export type CreateRuleInput = Record<string, unknown>;

export const updateRuleSchema = z.object({ ruleId: idSchemaWith("That rule could not be found: reload the page"), ...ruleFields }).transform((form, ctx) => {
  const rule = toRule(form, ctx);
  return rule === z.NEVER ? z.NEVER : { ruleId: form.ruleId, ...rule };
});
/** As submitted by the form: strings, a missing checkbox when unticked. */
export type UpdateRuleInput = Record<string, unknown>;

/** `confirmed`: the second press, after the form asked (components/ui/ask-first.tsx). */
export const deleteRuleSchema = z.object({ ruleId: idSchemaWith("That rule could not be found: reload the page"), confirmed: checkboxSchema.optional() });
export type DeleteRuleInput = Record<string, unknown>;
/** Undoing a deletion: the archived rule comes back as it was. */
export const restoreRuleSchema = deleteRuleSchema;

/** What the rule forms' actions take: the form as submitted; the commands parse it (and say what is wrong). */
export const ruleFormSchema = z.record(z.string(), z.unknown());
