"use server";

import { revalidatePath } from "next/cache";
import { type ActionState, withActor } from "@/lib/auth/action";
import { updateRule } from "@/lib/automation/commands";

/** The command checks the admin grant and validates with updateRuleSchema. */
export async function updateRuleAction(_prev: ActionState, formData: FormData): Promise<ActionState> {
  const result = await withActor(formData, (ctx) =>
    updateRule(ctx, {
      ruleId: formData.get("ruleId"),
      enabled: formData.get("enabled"),
      message: formData.get("message"),
      recipientRole: formData.get("recipientRole"),
      priority: formData.get("priority"),
    }),
  );
  if (result.ok) {
    revalidatePath("/admin/rules");
    return { ok: true, message: "Saved. The rule applies from its next evaluation." };
  }
  return result;
}
