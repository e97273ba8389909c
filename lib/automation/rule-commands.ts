import "server-only";
import { eq } from "drizzle-orm";
import { automationRules } from "@/db/schema";
import type { AutomationRule } from "@/db/schema";
import { can } from "@/lib/auth/policy";
import { type Ctx, type Result, zodFailure } from "@/lib/result";
import { type UpdateRuleInput, updateRuleSchema } from "./schemas";

/** Changes to automation rules: administrators only, checked here whoever calls. */

export async function updateRule(ctx: Ctx, input: UpdateRuleInput): Promise<Result<{ rule: AutomationRule }>> {
  if (!can.manageRules(ctx.actor)) return { ok: false, formError: "Only administrators can change automation rules" };
  const parsed = updateRuleSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { ruleId, ...values } = parsed.data;
  const [rule] = await ctx.db
    .update(automationRules)
    .set({ ...values, updatedAt: ctx.now ?? new Date() })
    .where(eq(automationRules.id, ruleId))
    .returning();
  if (!rule) return { ok: false, notFound: true, formError: "That rule no longer exists" };
  return { ok: true, rule };
}
