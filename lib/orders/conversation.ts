import "server-only";
import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { notifications, orderComments, orderHistory, orders } from "@/db/schema";
import type { Order, OrderComment } from "@/db/schema";
import { activePeople, peopleWhoRead } from "@/db/queries/conversation";
import { sendQueuedEmails } from "@/lib/email/outbox";
import { MENTION_TOPIC, emailModeFor } from "@/lib/automation/preferences";
import { emailColumns, loadPreferences } from "@/lib/automation/runner";
import { type Ctx, type Result, zodFailure } from "@/lib/result";
import { decide, formatOrderNumber, mayReadStore } from "@/lib/workflow";
import { queueCommentCreated } from "@/lib/webhooks/outbox";
import { notifyInboxes, notifyOrderChanged } from "@/db/notify";
import { sendWebhooks } from "./kernel";
import { mentionTokens, resolveMention } from "./mentions";
import { type AddCommentInput, COMMENT_EDIT_WINDOW_MS, type EditCommentInput, addCommentSchema, editCommentSchema } from "./schemas";

/**
 * Comments on an order. Commenting is no change to the order (no version raised, no conflict
 * for anyone's form); the comment and its history event are written together. A mention names
 * an account that may read the order and notifies it, in-app and by email as it chose.
 */

class Refused extends Error {
  constructor(readonly result: Result<never>) {
    super("refused");
  }
}

/**
 * The accounts a comment's @names mean, among the people who may read the order: a name no one
 * has and a person of another store are one refusal, worded alike, so a comment box never tells
 * who exists elsewhere (nor makes a name ambiguous because someone elsewhere shares it).
 */
async function resolveMentions(tx: Tx, body: string, order: Pick<Order, "storeId">) {
  const tokens = mentionTokens(body);
  if (!tokens.length) return [];
  const readers = (await activePeople(tx)).filter((p) => mayReadStore(p, order.storeId));
  const errors: string[] = [];
  const ids = new Set<number>();
  for (const token of tokens) {
    const r = resolveMention(token, readers);
    if (r.ok) ids.add(r.account.id);
    else errors.push(r.reason === "ambiguous" ? `@${token} matches more than one person: pick them from the list` : `No one called @${token} can be mentioned on this order`);
  }
  if (errors.length) throw new Refused({ ok: false, fieldErrors: { body: errors }, formError: "Check the mentions" });
  return [...ids];
}

async function notifyMentions(tx: Tx, ctx: Ctx, comment: OrderComment, mentioned: number[], now: Date): Promise<number> {
  const to = mentioned.filter((id) => id !== ctx.actor.id);
  if (!to.length) return 0;
  const people = (await peopleWhoRead(tx, (await tx.select({ storeId: orders.storeId }).from(orders).where(eq(orders.id, comment.orderId)))[0].storeId)).filter((p) =>
    to.includes(p.id),
  );
  const prefs = await loadPreferences(tx, to, [MENTION_TOPIC]);
  const excerpt = comment.body.replace(/\s+/g, " ").slice(0, 120);
  const rows = people.map((p) => ({
    commentId: comment.id,
    accountId: p.id,
    orderId: comment.orderId,
    message: `${ctx.actor.name} mentioned you on ${formatOrderNumber(comment.orderId)}: “${excerpt}${comment.body.length > 120 ? "…" : ""}”`,
    priority: "normal" as const,
    createdAt: now,
    ...emailColumns(p, emailModeFor(prefs, p.id, MENTION_TOPIC, "normal"), now),
  }));
  if (!rows.length) return 0;
  const made = await tx.insert(notifications).values(rows).onConflictDoNothing().returning({ id: notifications.id, accountId: notifications.accountId });
  await notifyInboxes(tx, made.map((m) => m.accountId));
  return made.length;
}

async function run<T extends object>(ctx: Ctx, work: (tx: Tx, now: Date) => Promise<Result<T & { notified?: number; webhooks?: number }>>): Promise<Result<T>> {
  const now = ctx.now ?? new Date();
  try {
    const result = await ctx.db.transaction((tx) => work(tx, now));
    if (result.ok && (result as { notified?: number }).notified) ctx.afterCommit?.((db) => sendQueuedEmails(db));
    if (result.ok && (result as { webhooks?: number }).webhooks) ctx.afterCommit?.(sendWebhooks);
    return result;
  } catch (error) {
    if (error instanceof Refused) return error.result;
    throw error;
  }
}

export async function addComment(ctx: Ctx, input: AddCommentInput): Promise<Result<{ comment: OrderComment }>> {
  const parsed = addCommentSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { orderId, body } = parsed.data;
  return run<{ comment: OrderComment }>(ctx, async (tx, now) => {
    const [order] = await tx.select().from(orders).where(eq(orders.id, orderId)).for("share");
    if (!order || !decide(ctx.actor, "readOrder", order).ok) return { ok: false, notFound: true, formError: "Order not found" };
    const d = decide(ctx.actor, "comment", order);
    if (!d.ok) return { ok: false, formError: d.reason };
    const mentions = await resolveMentions(tx, body, order);
    const [comment] = await tx.insert(orderComments).values({ orderId, authorId: ctx.actor.id, body, mentions, createdAt: now }).returning();
    await tx.insert(orderHistory).values({ orderId, actorId: ctx.actor.id, at: now, version: order.version, kind: "commented", stage: order.stage, subject: `comment:${comment.id}`, after: { body } });
    const notified = await notifyMentions(tx, ctx, comment, mentions, now);
    await notifyOrderChanged(tx, order);
    // The webhook outbox (decision 019), in this transaction.
    const webhooks = await queueCommentCreated(tx, order, comment, { id: ctx.actor.id, name: ctx.actor.name }, now);
    return { ok: true as const, comment, notified, webhooks };
  });
}

/** The author edits a comment within 10 minutes; the text before and after is kept in history. A new mention notifies. */
export async function editComment(ctx: Ctx, input: EditCommentInput): Promise<Result<{ comment: OrderComment }>> {
  const parsed = editCommentSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { commentId, body } = parsed.data;
  return run<{ comment: OrderComment }>(ctx, async (tx, now) => {
    const [row] = await tx
      .select({ comment: orderComments, order: orders })
      .from(orderComments)
      .innerJoin(orders, eq(orders.id, orderComments.orderId))
      .where(eq(orderComments.id, commentId))
      .for("update", { of: orderComments });
    if (!row || !decide(ctx.actor, "readOrder", row.order).ok) return { ok: false, notFound: true, formError: "Comment not found" };
    const { comment, order } = row;
    if (comment.authorId !== ctx.actor.id) return { ok: false, formError: "Only its author can edit a comment" };
    if (now.getTime() - comment.createdAt.getTime() > COMMENT_EDIT_WINDOW_MS) return { ok: false, formError: "A comment can be edited for 10 minutes after it is posted" };
    const d = decide(ctx.actor, "comment", order);
    if (!d.ok) return { ok: false, formError: d.reason };
    if (body === comment.body) return { ok: true as const, comment };
    const mentions = await resolveMentions(tx, body, order);
    const [updated] = await tx
      .update(orderComments)
      .set({ body, mentions, editedAt: now })
      .where(and(eq(orderComments.id, commentId), eq(orderComments.authorId, ctx.actor.id)))
      .returning();
    await tx.insert(orderHistory).values({ orderId: order.id, actorId: ctx.actor.id, at: now, version: order.version, kind: "commentEdited", stage: order.stage, subject: `comment:${comment.id}`, before: { body: comment.body }, after: { body } });
    const notified = await notifyMentions(tx, ctx, updated, mentions, now);
    await notifyOrderChanged(tx, order);
    return { ok: true as const, comment: updated, notified };
  });
}
