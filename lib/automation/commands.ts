import { and, eq, isNull } from "drizzle-orm";
import { automationRules, notifications } from "@/db/schema";
import type { AutomationRule } from "@/db/schema";
import { can } from "@/lib/auth/policy";
import type { Ctx, Failure, Result } from "@/lib/orders/commands";
import { type NotificationIdInput, type UpdateRuleInput, notificationIdSchema, updateRuleSchema } from "./schemas";

/** Changes to rules and to the inbox's read state; each checks the actor itself. */

function zodFailure(issues: { path: PropertyKey[]; message: string }[]): Failure {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of issues) (fieldErrors[issue.path.map(String).join(".") || "form"] ??= []).push(issue.message);
  return { ok: false, fieldErrors, formError: "Check the highlighted fields" };
}

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

/** Marks one of the actor's own notifications read; someone else's is "not found". */
export async function markNotificationRead(ctx: Ctx, input: NotificationIdInput): Promise<Result> {
  const parsed = notificationIdSchema.safeParse(input);
  if (!parsed.success) return { ok: false, notFound: true, formError: "Notification not found" };
  const mine = and(eq(notifications.id, parsed.data.notificationId), eq(notifications.accountId, ctx.actor.id));
  const [row] = await ctx.db.select({ readAt: notifications.readAt }).from(notifications).where(mine);
  if (!row) return { ok: false, notFound: true, formError: "Notification not found" };
  if (!row.readAt) await ctx.db.update(notifications).set({ readAt: ctx.now ?? new Date() }).where(and(mine, isNull(notifications.readAt)));
  return { ok: true };
}

export async function markAllNotificationsRead(ctx: Ctx): Promise<Result<{ count: number }>> {
  const rows = await ctx.db
    .update(notifications)
    .set({ readAt: ctx.now ?? new Date() })
    .where(and(eq(notifications.accountId, ctx.actor.id), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return { ok: true, count: rows.length };
}
