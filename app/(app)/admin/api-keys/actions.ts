"use server";

import { revalidatePath } from "next/cache";
import { validatedAction } from "@/lib/auth/action";
import { createApiKey, revokeApiKey } from "@/lib/api/key-commands";
import { createApiKeySchema, revokeApiKeySchema } from "@/lib/api/key-schemas";

/** The API keys page's server actions; each command checks the manageApiKeys grant itself. */

export const createApiKeyAction = validatedAction(createApiKeySchema, (input, ctx) => createApiKey(ctx, input), ({ key, secret }) => {
  revalidatePath("/admin/api-keys");
  return { message: `Key “${key.name}” created.`, oneTimeSecret: { secret, for: key.name } };
});

export const revokeApiKeyAction = validatedAction(revokeApiKeySchema, (input, ctx) => revokeApiKey(ctx, input), ({ key }) => {
  revalidatePath("/admin/api-keys");
  return `Key “${key.name}” revoked: it stops working at once.`;
});
