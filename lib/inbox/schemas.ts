import { z } from "zod";

/** Inputs of the inbox, shared by its forms and server actions. */

export const notificationIdSchema = z.object({ notificationId: z.uuid({ error: "Unknown notification" }) });
export type NotificationIdInput = { notificationId: unknown };

export const noInputSchema = z.object({});

export const orderIdSchema = z.object({ orderId: z.coerce.number().int().positive().max(2_147_483_647) });
