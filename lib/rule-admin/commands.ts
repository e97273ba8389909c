import "server-only";
import { eq } from "drizzle-orm";
import { automationRules } from "@/db/schema";
import type { AutomationRule } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { can } from "@/lib/auth/policy";
import { type Ctx, type Result, zodFailure } from "@/lib/result";
import { type CreateRuleInput, type DeleteRuleInput, type UpdateRuleInput, createRuleSchema, deleteRuleSchema, restoreRuleSchema, updateRuleSchema } from "@/lib/automation/schemas";

/** Changes to automation rules: administrators only, checked here whoever calls. */

const refused = { ok: false as const, formError: "Only administrators can change automation rules" };
const view = (r: AutomationRule) => ({ rule: r.key, name: r.name, enabled: r.enabled, trigger: r.trigger, recipients: r.recipients, message: r.message, priority: r.priority });

export async function createRule(ctx: Ctx, input: CreateRuleInput): Promise<Result<{ rule: AutomationRule }>> {
  if (!can.manageRules(ctx.actor)) return refused;
  const parsed = createRuleSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const now = ctx.now ?? new Date();
  return ctx.db.transaction(async (tx) => {
    const key = `rule-${now.getTime().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const [rule] = await tx.insert(automationRules).values({ ...parsed.data, key, updatedAt: now }).returning();
    await recordAudit(tx, { kind: "ruleCreated", actorId: ctx.actor.id, after: view(rule) });
    return { ok: true as const, rule };
  });
}

export async function updateRule(ctx: Ctx, input: UpdateRuleInput): Promise<Result<{ rule: AutomationRule }>> {
  if (!can.manageRules(ctx.actor)) return refused;
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
    await recordAudit(tx, { kind: "ruleChanged", actorId: ctx.actor.id, before: view(before), after: view(rule) });
    return { ok: true as const, rule };
  });
}

/**
 * Deleting a rule archives it: it stops firing at once, keeps its log and alerts, and "Undo"
 * (restoreRule) brings it back as it was (SPEC.md: deleting a rule can be undone).
 */
export async function deleteRule(ctx: Ctx, input: DeleteRuleInput): Promise<Result<{ rule: AutomationRule }>> {
  return setArchived(ctx, input, true);
}

export async function restoreRule(ctx: Ctx, input: DeleteRuleInput): Promise<Result<{ rule: AutomationRule }>> {
  return setArchived(ctx, input, false);
}

async function setArchived(ctx: Ctx, input: DeleteRuleInput, archive: boolean): Promise<Result<{ rule: AutomationRule }>> {
  if (!can.manageRules(ctx.actor)) return refused;
  const parsed = (archive ? deleteRuleSchema : restoreRuleSchema).safeParse(input);
  if (!parsed.success) return { ok: false, notFound: true, formError: "That rule no longer exists" };
  const now = ctx.now ?? new Date();
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(automationRules).where(eq(automationRules.id, parsed.data.ruleId)).for("update");
    if (!before) return { ok: false, notFound: true, formError: "That rule no longer exists" };
    if ((before.archivedAt !== null) === archive) return { ok: true as const, rule: before };
    if (archive && !(parsed.data as { confirmed?: boolean }).confirmed) {
      return { ok: false, confirm: { question: `Delete the rule “${before.name}”? It stops at once; you can undo it under Deleted rules.`, yes: "Yes, delete the rule" } };
    }
    const [rule] = await tx
      .update(automationRules)
      .set({ archivedAt: archive ? now : null, updatedAt: now })
      .where(eq(automationRules.id, before.id))
      .returning();
    await recordAudit(tx, archive ? { kind: "ruleDeleted", actorId: ctx.actor.id, before: view(before) } : { kind: "ruleRestored", actorId: ctx.actor.id, after: view(rule) });
    return { ok: true as const, rule };
  });
}
