import { z } from "zod";
import { checkboxSchema } from "@/lib/forms/fields";
import { idParam, idSchemaWith, textSchema } from "@/lib/forms/input";
import { webhookEventKeys } from "./event-types";
import { checkUrlShape, isInternalAddress } from "./destination";
import { isIP } from "node:net";

/** Inputs of /admin/webhooks, shared by its forms and commands. */

/** A checkbox group: absent when none is ticked, a string for one, a list for more. */
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (v === undefined || v === null || v === "" ? [] : Array.isArray(v) ? v : [v]), z.array(item));

/**
 * The endpoint's URL: https, no credentials, and not an internal IP literal. A name is checked
 * against what it resolves to on every delivery (lib/webhooks/destination.ts), not here: DNS can
 * change after registration. `allowPrivate` is MAKELINE_WEBHOOKS_ALLOW_PRIVATE.
 */
export const webhookUrlSchema = (allowPrivate: boolean) =>
  textSchema({ min: 1, max: 2000, singleLine: true, tooShort: "Enter the endpoint's URL", tooLong: "Keep the URL under 2000 characters", notText: "Enter the endpoint's URL" }).transform((raw, ctx) => {
    const shape = checkUrlShape(raw, allowPrivate);
    if (!shape.ok) {
      ctx.addIssue({ code: "custom", message: shape.reason });
      return z.NEVER;
    }
    const host = shape.url.hostname.replace(/^\[|\]$/g, "");
    if (!allowPrivate && (isIP(host) ? isInternalAddress(host) : /^(localhost|.*\.localhost|.*\.local|.*\.internal)$/i.test(host))) {
      ctx.addIssue({ code: "custom", message: "Refused: webhooks cannot go to private, loopback or link-local addresses" });
      return z.NEVER;
    }
    return shape.url.toString();
  });

const events = list(z.enum(webhookEventKeys, { error: "Unknown event" })).pipe(
  z.array(z.enum(webhookEventKeys)).min(1, "Choose at least one event").transform((e) => [...new Set(e)]),
);

const endpointFields = (allowPrivate: boolean) => ({
  url: webhookUrlSchema(allowPrivate),
  description: textSchema({ max: 200, singleLine: true, tooLong: "Keep the description under 200 characters" }).optional().default(""),
  events,
  /** Only this store's orders; empty: every store. */
  storeId: z.preprocess((v) => (v === "" ? undefined : v), idParam),
});

export const createWebhookSchema = (allowPrivate: boolean) => z.object(endpointFields(allowPrivate));
export type CreateWebhookInput = z.input<ReturnType<typeof createWebhookSchema>>;

export const updateWebhookSchema = (allowPrivate: boolean) =>
  z.object({ endpointId: idSchemaWith("This endpoint could not be found: reload the page"), ...endpointFields(allowPrivate), enabled: checkboxSchema });
export type UpdateWebhookInput = z.input<ReturnType<typeof updateWebhookSchema>>;

export const endpointIdSchema = z.object({ endpointId: idSchemaWith("This endpoint could not be found: reload the page") });
export type EndpointIdInput = z.input<typeof endpointIdSchema>;

export const resendDeliverySchema = z.object({
  endpointId: idSchemaWith("This endpoint could not be found: reload the page"),
  deliveryId: z.uuid({ error: "This delivery could not be found: reload the page" }),
});
export type ResendDeliveryInput = z.input<typeof resendDeliverySchema>;
