import "server-only";
import { eq } from "drizzle-orm";
import { automationRules } from "@/db/schema";
import type { AutomationRule } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { can } from "@/lib/auth/policy";
import { type Ctx, type Result, zodFailure } from "@/lib/result";
import { type UpdateRuleInput, updateRuleSchema } from "./schemas";

/** Changes to automation rules: administrators only, checked here whoever calls. */

export async function updateRule(ctx: Ctx, input: UpdateRuleInput): Promise<Result<{ rule: AutomationRule }>> {
  if (!can.manageRules(ctx.actor)) return { ok: false, formError: "Only administrators can change automation rules" };
  const parsed = updateRuleSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { ruleId, ...values } = parsed.data;
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(automationRules).where(eq(automationRules.id, ruleId)).for("update");
    if (!before) return { ok: false, notFound: true, formError: "That rule no longer exists" };
    const [rule] = await tx
      .update(automationRules)
      .set({ ...values, updatedAt: ctx.now ?? new Date() })
      .where(eq(automationRules.id, ruleId))
      .returning();
    const view = (r: AutomationRule) => ({ rule: r.key, enabled: r.enabled, message: r.message, recipientRole: r.recipientRole, priority: r.priority });
    await recordAudit(tx, { kind: "ruleChanged", actorId: ctx.actor.id, before: view(before), after: view(rule) });
    return { ok: true as const, rule };
  });
}
