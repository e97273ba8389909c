"use server";

import { revalidatePath } from "next/cache";
import { validatedAction } from "@/lib/auth/action";
import { env } from "@/lib/env";
import { createWebhookEndpoint, resendDelivery, rotateWebhookSecret, sendTestEvent, updateWebhookEndpoint } from "@/lib/webhooks/commands";
import { createWebhookSchema, endpointIdSchema, resendDeliverySchema, updateWebhookSchema } from "@/lib/webhooks/schemas";

/** The webhooks pages' server actions; each command checks the manageWebhooks grant itself. */

const allowPrivate = env().MAKELINE_WEBHOOKS_ALLOW_PRIVATE === "1";
const refresh = (id?: number) => {
  revalidatePath("/admin/webhooks");
  if (id) revalidatePath(`/admin/webhooks/${id}`);
};

export const createWebhookAction = validatedAction(createWebhookSchema(allowPrivate), (input, ctx) => createWebhookEndpoint(ctx, input), ({ endpoint, secret }) => {
  refresh();
  return { message: `Endpoint ${endpoint.url} added.`, oneTimeSecret: { secret, for: endpoint.url } };
});

export const updateWebhookAction = validatedAction(updateWebhookSchema(allowPrivate), (input, ctx) => updateWebhookEndpoint(ctx, input), ({ endpoint }) => {
  refresh(endpoint.id);
  return endpoint.enabled ? "Saved." : "Saved: the endpoint is disabled and gets nothing until it is enabled.";
});

export const rotateWebhookSecretAction = validatedAction(endpointIdSchema, (input, ctx) => rotateWebhookSecret(ctx, input), ({ endpoint, secret }) => {
  refresh(endpoint.id);
  return { message: "New signing secret made: for 24 hours both secrets sign every delivery.", oneTimeSecret: { secret, for: endpoint.url } };
});

export const sendTestEventAction = validatedAction(endpointIdSchema, (input, ctx) => sendTestEvent(ctx, input), (_result, input) => {
  refresh(input.endpointId);
  return "Test event queued: it is sent now; reload to see the answer.";
});

export const resendDeliveryAction = validatedAction(resendDeliverySchema, (input, ctx) => resendDelivery(ctx, input), (_result, input) => {
  refresh(input.endpointId);
  return "Queued again, under the same webhook-id.";
});
