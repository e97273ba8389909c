import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { idSchema } from "@/lib/workflow";
import { notifications } from "@/db/schema";
import type { Ctx, Result } from "@/lib/result";
import { notifyInboxes } from "@/db/notify";
import { type NotificationIdInput, notificationIdSchema } from "./schemas";

/** The inbox's read state: an account marks only its own notifications. */

/** Marks one of the actor's own notifications read; someone else's is "not found". */
export async function markNotificationRead(ctx: Ctx, input: NotificationIdInput): Promise<Result> {
  const parsed = notificationIdSchema.safeParse(input);
  if (!parsed.success) return { ok: false, notFound: true, formError: "Notification not found" };
  const mine = and(eq(notifications.id, parsed.data.notificationId), eq(notifications.accountId, ctx.actor.id));
  const [row] = await ctx.db.select({ readAt: notifications.readAt }).from(notifications).where(mine);
  if (!row) return { ok: false, notFound: true, formError: "Notification not found" };
  if (!row.readAt) {
    await ctx.db.update(notifications).set({ readAt: ctx.now ?? new Date() }).where(and(mine, isNull(notifications.readAt)));
    // The account's other open pages show the new unread count (decision 026).
    await notifyInboxes(ctx.db, [ctx.actor.id]);
  }
  return { ok: true };
}

export async function markAllNotificationsRead(ctx: Ctx): Promise<Result<{ count: number }>> {
  const rows = await ctx.db
    .update(notifications)
    .set({ readAt: ctx.now ?? new Date() })
    .where(and(eq(notifications.accountId, ctx.actor.id), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  if (rows.length) await notifyInboxes(ctx.db, [ctx.actor.id]);
  return { ok: true, count: rows.length };
}

/**
 * Opening an order marks the account's own alerts about it read (nobody else's). Returns how
 * many it marked; an id that is no number marks nothing.
 */
export async function markOrderNotificationsRead(ctx: Ctx, input: { orderId: unknown }): Promise<Result<{ count: number }>> {
  const id = idSchema.safeParse(input.orderId);
  if (!id.success) return { ok: true, count: 0 };
  const rows = await ctx.db
    .update(notifications)
    .set({ readAt: ctx.now ?? new Date() })
    .where(and(eq(notifications.accountId, ctx.actor.id), eq(notifications.orderId, id.data), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  if (rows.length) await notifyInboxes(ctx.db, [ctx.actor.id]);
  return { ok: true, count: rows.length };
}
