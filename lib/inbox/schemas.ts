import { z } from "zod";

/** Inputs of the inbox, shared by its forms and server actions. */

export const notificationIdSchema = z.object({ notificationId: z.uuid({ error: "Unknown notification" }) });
export type NotificationIdInput = { notificationId: unknown };

export const noInputSchema = z.object({});

export const orderIdSchema = z.object({ orderId: z.coerce.number().int().positive().max(2_147_483_647) });

/** The account page's notification choices: per topic (`rule:<id>` or `mention`) a mode, and the digest's local hour. */
export const preferencesSchema = z.object({
  digestHour: z.coerce.number({ error: "Choose an hour" }).int().min(0, "Choose an hour from 0 to 23").max(23, "Choose an hour from 0 to 23"),
  mode: z.record(z.string().regex(/^(rule:\d{1,10}|mention)$/, "Unknown rule"), z.enum(["immediate", "digest", "none"], { error: "Choose how to be told" })).default({}),
});
/** As submitted by the form. */
export type PreferencesInput = Record<string, unknown>;
