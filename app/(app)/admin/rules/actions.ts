"use server";

import { revalidatePath } from "next/cache";
import { validatedAction } from "@/lib/auth/action";
import { updateRule } from "@/lib/automation/rule-commands";
import { updateRuleSchema } from "@/lib/automation/schemas";

/** The command checks the admin grant itself; the schema is the one the form and command share. */
export const updateRuleAction = validatedAction(updateRuleSchema, (input, ctx) => updateRule(ctx, input), () => {
  revalidatePath("/admin/rules");
  return "Saved. The rule applies from its next evaluation.";
});
