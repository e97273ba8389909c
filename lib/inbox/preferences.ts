import "server-only";
import { eq, inArray } from "drizzle-orm";
import { accounts, automationRules, notificationPreferences } from "@/db/schema";
import { MENTION_TOPIC, ruleTopic } from "@/lib/automation/preferences";
import { type Ctx, type Result, zodFailure } from "@/lib/result";
import { type PreferencesInput, preferencesSchema } from "./schemas";

/**
 * An account chooses, for itself only, how each rule (and a mention) reaches it by email, and at
 * which local hour its daily digest leaves. Choices apply to notifications made from then on.
 */
export async function saveNotificationPreferences(ctx: Ctx, input: PreferencesInput): Promise<Result> {
  const parsed = preferencesSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { digestHour, mode } = parsed.data;
  return ctx.db.transaction(async (tx) => {
    const ruleIds = Object.keys(mode).filter((t) => t.startsWith("rule:")).map((t) => Number(t.slice(5)));
    const known = new Set((ruleIds.length ? await tx.select({ id: automationRules.id }).from(automationRules).where(inArray(automationRules.id, ruleIds)) : []).map((r) => ruleTopic(r.id)));
    const rows = Object.entries(mode)
      .filter(([topic]) => topic === MENTION_TOPIC || known.has(topic))
      .map(([topic, m]) => ({ accountId: ctx.actor.id, topic, mode: m }));
    await tx.update(accounts).set({ digestHour }).where(eq(accounts.id, ctx.actor.id));
    for (const row of rows) {
      await tx.insert(notificationPreferences).values(row).onConflictDoUpdate({ target: [notificationPreferences.accountId, notificationPreferences.topic], set: { mode: row.mode } });
    }
    return { ok: true as const };
  });
}
