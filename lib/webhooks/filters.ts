import { z } from "zod";
import type { DeliveryLogQuery } from "@/db/queries/api-admin";
import { choiceParam, oneParam } from "@/lib/forms/input";

/** A webhook endpoint's page (`/admin/webhooks/7?status=failed&before=…`): a status filter and a keyset cursor (created, id) into the log. */
export const deliveryLogSchema = z.object({
  status: choiceParam(["pending", "delivered", "failed"]),
  before: z.preprocess(oneParam, z.string().regex(/^\d{1,16}\.[0-9a-f-]{36}$/).optional()).catch(undefined),
}) satisfies z.ZodType<DeliveryLogQuery>;

export const parseDeliveryLog = (raw: Record<string, unknown>): DeliveryLogQuery => deliveryLogSchema.parse(raw);
