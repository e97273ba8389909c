"use server";

import { revalidatePath } from "next/cache";
import { validatedAction } from "@/lib/auth/action";
import { createRule, deleteRule, restoreRule, updateRule } from "@/lib/rule-admin/commands";
import { ruleFormSchema } from "@/lib/automation/schemas";

/** The commands check the admin grant themselves; the schemas are the ones the forms and commands share. */
export const updateRuleAction = validatedAction(ruleFormSchema, (input, ctx) => updateRule(ctx, input), () => {
  revalidatePath("/admin/rules");
  return "Saved. The rule applies from its next evaluation.";
});

export const createRuleAction = validatedAction(ruleFormSchema, (input, ctx) => createRule(ctx, input), () => {
  revalidatePath("/admin/rules");
  return "Rule created.";
});

export const deleteRuleAction = validatedAction(ruleFormSchema, (input, ctx) => deleteRule(ctx, input), () => {
  revalidatePath("/admin/rules");
  return "Rule deleted: it no longer fires. Undo it under “Deleted rules”.";
});

export const restoreRuleAction = validatedAction(ruleFormSchema, (input, ctx) => restoreRule(ctx, input), () => {
  revalidatePath("/admin/rules");
  return "Rule restored.";
});
