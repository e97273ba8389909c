import { z } from "zod";
import { idSchemaWith, isoDateSchema, textSchema } from "@/lib/forms/input";

/** Inputs of /admin/api-keys, shared by its forms and commands. */

const todayIso = () => new Date().toISOString().slice(0, 10);

export const createApiKeySchema = z.object({
  accountId: idSchemaWith("Choose the account the key acts as"),
  name: textSchema({ min: 1, max: 80, singleLine: true, tooShort: "Name the key (what uses it)", tooLong: "Keep the name under 80 characters", notText: "Name the key (what uses it)" }),
  /** The last day the key works (UTC); empty: it does not expire. */
  expiresOn: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    isoDateSchema.refine((d) => d >= todayIso(), "The expiry date cannot be in the past").optional(),
  ),
});
export type CreateApiKeyInput = z.input<typeof createApiKeySchema>;

export const revokeApiKeySchema = z.object({ keyId: idSchemaWith("This key could not be found: reload the page") });
export type RevokeApiKeyInput = z.input<typeof revokeApiKeySchema>;
