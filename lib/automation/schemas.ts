import { z } from "zod";
import type { RecipientSpec, RuleTrigger } from "@/db/schema";
import { checkboxSchema } from "@/lib/forms/fields";
import { idSchemaWith, textSchema } from "@/lib/forms/input";
import { type RoleKey, isFieldKey, roleKeys, stageKeys, stageOfField } from "@/lib/workflow";

/** Inputs of the automation pages, shared by their forms and server actions. */

export const priorities = ["low", "normal", "high"] as const;
export type Priority = (typeof priorities)[number];
export const priorityLabels: Record<Priority, string> = { low: "Low", normal: "Normal", high: "High" };

export const triggerTypes = ["field_equals", "stage_entered", "stage_at_risk", "stage_overdue", "delivery_at_risk"] as const satisfies readonly RuleTrigger["type"][];
export const triggerTypeLabels: Record<RuleTrigger["type"], string> = {
  field_equals: "A field is set to a value",
  stage_entered: "An order enters a stage",
  stage_at_risk: "A stage turns at risk",
  stage_overdue: "A stage is overdue",
  delivery_at_risk: "The Required Delivery Date is at risk",
};

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
  triggerStage: z.preprocess((v) => (v === "" ? undefined : v), z.enum(stageKeys, { error: "Choose a stage" }).optional()),
  triggerField: textSchema({ max: 80, singleLine: true }).optional(),
  triggerValue: textSchema({ max: 200, singleLine: true }).optional(),
  recipients: z.preprocess(list, z.array(z.enum(recipientTokens, { error: "Unknown recipient" })).min(1, "Choose at least one recipient")),
};

type RuleForm = z.output<z.ZodObject<typeof ruleFields>>;

/** The form's trigger fields as a stored trigger; the issues say what is missing. */
function toRule(form: RuleForm, ctx: z.RefinementCtx) {
  let trigger: RuleTrigger | null = null;
  const s = form.triggerStage;
  switch (form.triggerType) {
    case "field_equals": {
      const key = form.triggerField ?? "";
      if (!isFieldKey(key)) ctx.addIssue({ code: "custom", path: ["triggerField"], message: "Choose the field" });
      if (!form.triggerValue) ctx.addIssue({ code: "custom", path: ["triggerValue"], message: "Give the value that triggers the rule" });
      if (isFieldKey(key) && form.triggerValue) trigger = { type: "field_equals", stage: stageOfField(key), field: key, value: form.triggerValue };
      break;
    }
    case "stage_entered":
      if (!s) ctx.addIssue({ code: "custom", path: ["triggerStage"], message: "Choose the stage" });
      else trigger = { type: "stage_entered", stage: s };
      break;
    case "stage_at_risk":
    case "stage_overdue":
      trigger = s ? { type: form.triggerType, stage: s } : { type: form.triggerType };
      break;
    case "delivery_at_risk":
      trigger = { type: "delivery_at_risk" };
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

/** What the rule forms' actions take: the form as submitted; the commands parse it (and say what is wrong). */
export const ruleFormSchema = z.record(z.string(), z.unknown());
