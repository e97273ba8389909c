import "server-only";
import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { stores, webhookDeliveries, webhookEndpoints } from "@/db/schema";
import type { WebhookEndpoint } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { can } from "@/lib/auth/policy";
import { env } from "@/lib/env";
import { type Ctx, type Failure, type Result, zodFailure } from "@/lib/result";
import { deliverWebhooks } from "./deliver";
import { TEST_EVENT } from "./event-types";
import { RETRY_FOR_MS } from "./outbox";
import {
  type CreateWebhookInput,
  type EndpointIdInput,
  type ResendDeliveryInput,
  type UpdateWebhookInput,
  createWebhookSchema,
  endpointIdSchema,
  resendDeliverySchema,
  updateWebhookSchema,
} from "./schemas";

/** Administrators register, change and rotate webhook endpoints, resend deliveries and send test events. */

const onlyAdmins: Failure = { ok: false, formError: "Only administrators can manage webhooks" };
const notFound: Failure = { ok: false, notFound: true, formError: "This endpoint could not be found: reload the page" };
/** How long the previous secret still signs after a rotation, so receivers can switch without a gap. */
export const ROTATION_OVERLAP_MS = 24 * 60 * 60_000;

const allowPrivate = () => env().MAKELINE_WEBHOOKS_ALLOW_PRIVATE === "1";
/** A Standard Webhooks secret: `whsec_` and 24 random bytes, base64. */
export const newSigningSecret = () => `whsec_${randomBytes(24).toString("base64")}`;

/** Sends what was queued for this endpoint after the commit (the automation pass does it otherwise). */
const sendSoon = (ctx: Ctx, endpointId: number) => ctx.afterCommit?.(async (db) => void (await deliverWebhooks(db, { endpointId, budgetMs: 15_000 })));

async function storeExists(ctx: Ctx, storeId: number | undefined) {
  if (!storeId) return true;
  const [s] = await ctx.db.select({ id: stores.id }).from(stores).where(eq(stores.id, storeId));
  return Boolean(s);
}

export async function createWebhookEndpoint(ctx: Ctx, input: CreateWebhookInput): Promise<Result<{ endpoint: WebhookEndpoint; secret: string }>> {
  if (!can.manageWebhooks(ctx.actor)) return onlyAdmins;
  const parsed = createWebhookSchema(allowPrivate()).safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { url, description, events, storeId } = parsed.data;
  if (!(await storeExists(ctx, storeId))) return { ok: false, fieldErrors: { storeId: ["Choose a store from the list"] }, formError: "Check the highlighted fields" };
  const secret = newSigningSecret();
  const now = ctx.now ?? new Date();
  return ctx.db.transaction(async (tx) => {
    const [endpoint] = await tx.insert(webhookEndpoints).values({ url, description, events, storeId: storeId ?? null, secret, createdBy: ctx.actor.id, createdAt: now }).returning();
    await recordAudit(tx, { kind: "webhookEndpointCreated", actorId: ctx.actor.id, storeId: storeId ?? null, after: { endpointId: endpoint.id, url, events, storeId: storeId ?? null }, at: now });
    return { ok: true as const, endpoint, secret };
  });
}

export async function updateWebhookEndpoint(ctx: Ctx, input: UpdateWebhookInput): Promise<Result<{ endpoint: WebhookEndpoint }>> {
  if (!can.manageWebhooks(ctx.actor)) return onlyAdmins;
  const parsed = updateWebhookSchema(allowPrivate()).safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { endpointId, url, description, events, storeId, enabled } = parsed.data;
  if (!(await storeExists(ctx, storeId))) return { ok: false, fieldErrors: { storeId: ["Choose a store from the list"] }, formError: "Check the highlighted fields" };
  const now = ctx.now ?? new Date();
  return ctx.db.transaction(async (tx): Promise<Result<{ endpoint: WebhookEndpoint }>> => {
    const [before] = await tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpointId)).for("update");
    if (!before) return notFound;
    // Enabling again starts the failure clock afresh and lets its pending deliveries go.
    const reenabled = enabled && !before.enabled;
    const [endpoint] = await tx
      .update(webhookEndpoints)
      .set({ url, description, events, storeId: storeId ?? null, enabled, ...(reenabled ? { failingSince: null, disabledAt: null, disabledReason: null, alertedAt: null } : {}) })
      .where(eq(webhookEndpoints.id, endpointId))
      .returning();
    await recordAudit(tx, {
      kind: "webhookEndpointChanged",
      actorId: ctx.actor.id,
      storeId: storeId ?? null,
      before: { url: before.url, description: before.description, events: before.events, storeId: before.storeId, enabled: before.enabled },
      after: { endpointId, url, description, events, storeId: storeId ?? null, enabled },
      at: now,
    });
    return { ok: true as const, endpoint };
  });
}

/** A new secret, shown once; the previous one keeps signing too for ROTATION_OVERLAP_MS. */
export async function rotateWebhookSecret(ctx: Ctx, input: EndpointIdInput): Promise<Result<{ endpoint: WebhookEndpoint; secret: string }>> {
  if (!can.manageWebhooks(ctx.actor)) return onlyAdmins;
  const parsed = endpointIdSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const now = ctx.now ?? new Date();
  const secret = newSigningSecret();
  return ctx.db.transaction(async (tx): Promise<Result<{ endpoint: WebhookEndpoint; secret: string }>> => {
    const [before] = await tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, parsed.data.endpointId)).for("update");
    if (!before) return notFound;
    const overlapUntil = new Date(now.getTime() + ROTATION_OVERLAP_MS);
    const [endpoint] = await tx
      .update(webhookEndpoints)
      .set({ secret, previousSecret: before.secret, previousSecretExpiresAt: overlapUntil })
      .where(eq(webhookEndpoints.id, before.id))
      .returning();
    await recordAudit(tx, { kind: "webhookSecretRotated", actorId: ctx.actor.id, after: { endpointId: before.id, previousSignsUntil: overlapUntil.toISOString() }, at: now });
    return { ok: true as const, endpoint, secret };
  });
}

/** A `webhook.test` event for this endpoint alone, sent at once after the commit. */
export async function sendTestEvent(ctx: Ctx, input: EndpointIdInput): Promise<Result<{ queued: number }>> {
  if (!can.manageWebhooks(ctx.actor)) return onlyAdmins;
  const parsed = endpointIdSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const now = ctx.now ?? new Date();
  const { endpointId } = parsed.data;
  const [endpoint] = await ctx.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpointId));
  if (!endpoint) return notFound;
  const at = now.toISOString();
  await ctx.db.insert(webhookDeliveries).values({
    endpointId,
    eventType: TEST_EVENT,
    payload: { type: TEST_EVENT, timestamp: at, data: { endpointId, message: `A test event sent by ${ctx.actor.name}` } },
    createdAt: now,
    nextAttemptAt: now,
    giveUpAt: new Date(now.getTime() + RETRY_FOR_MS),
  });
  sendSoon(ctx, endpointId);
  return { ok: true as const, queued: 1 };
}

/** The same delivery (same `webhook-id`) again, now, with three more days of retries. */
export async function resendDelivery(ctx: Ctx, input: ResendDeliveryInput): Promise<Result<{ queued: number }>> {
  if (!can.manageWebhooks(ctx.actor)) return onlyAdmins;
  const parsed = resendDeliverySchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const now = ctx.now ?? new Date();
  const { endpointId, deliveryId } = parsed.data;
  const updated = await ctx.db
    .update(webhookDeliveries)
    .set({ status: "pending", nextAttemptAt: now, lockedUntil: null, giveUpAt: new Date(now.getTime() + RETRY_FOR_MS) })
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.endpointId, endpointId)))
    .returning({ id: webhookDeliveries.id });
  if (!updated.length) return { ok: false, notFound: true, formError: "This delivery could not be found: reload the page" };
  sendSoon(ctx, endpointId);
  return { ok: true as const, queued: 1 };
}

