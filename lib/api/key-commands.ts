import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { accounts, apiKeys } from "@/db/schema";
import type { ApiKey } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { can } from "@/lib/auth/policy";
import { type Ctx, type Failure, type Result, zodFailure } from "@/lib/result";
import { generateApiKey } from "./keys";
import { type CreateApiKeyInput, type RevokeApiKeyInput, createApiKeySchema, revokeApiKeySchema } from "./key-schemas";

/** Administrators create and revoke API keys; each is in the audit log. */

const onlyAdmins: Failure = { ok: false, formError: "Only administrators can manage API keys" };

/** A key for an account; the secret is in the result only, never stored. */
export async function createApiKey(ctx: Ctx, input: CreateApiKeyInput): Promise<Result<{ key: ApiKey; secret: string }>> {
  if (!can.manageApiKeys(ctx.actor)) return onlyAdmins;
  const parsed = createApiKeySchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { accountId, name, expiresOn } = parsed.data;
  const now = ctx.now ?? new Date();
  return ctx.db.transaction(async (tx): Promise<Result<{ key: ApiKey; secret: string }>> => {
    const [account] = await tx.select({ active: accounts.active }).from(accounts).where(eq(accounts.id, accountId)).for("share");
    if (!account) return { ok: false, fieldErrors: { accountId: ["Choose the account the key acts as"] }, formError: "Check the highlighted fields" };
    if (!account.active) return { ok: false, fieldErrors: { accountId: ["This account is deactivated: its keys would not work"] }, formError: "Check the highlighted fields" };
    const { secret, prefix, secretHash } = generateApiKey();
    // The key works through the whole of its last day (UTC).
    const expiresAt = expiresOn ? new Date(Date.parse(`${expiresOn}T00:00:00Z`) + 86_400_000) : null;
    const [key] = await tx.insert(apiKeys).values({ accountId, name, prefix, secretHash, createdBy: ctx.actor.id, createdAt: now, expiresAt }).returning();
    await recordAudit(tx, { kind: "apiKeyCreated", actorId: ctx.actor.id, accountId, after: { keyId: key.id, name, prefix, expiresAt: expiresAt?.toISOString() ?? null }, at: now });
    return { ok: true as const, key, secret };
  });
}

/** Revoked at once: the next request with it is refused. */
export async function revokeApiKey(ctx: Ctx, input: RevokeApiKeyInput): Promise<Result<{ key: ApiKey }>> {
  if (!can.manageApiKeys(ctx.actor)) return onlyAdmins;
  const parsed = revokeApiKeySchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const now = ctx.now ?? new Date();
  return ctx.db.transaction(async (tx): Promise<Result<{ key: ApiKey }>> => {
    const [key] = await tx
      .update(apiKeys)
      .set({ revokedAt: now, revokedBy: ctx.actor.id })
      .where(and(eq(apiKeys.id, parsed.data.keyId), isNull(apiKeys.revokedAt)))
      .returning();
    if (!key) {
      const [existing] = await tx.select().from(apiKeys).where(eq(apiKeys.id, parsed.data.keyId));
      return existing ? { ok: true as const, key: existing } : { ok: false, notFound: true, formError: "This key could not be found: reload the page" };
    }
    await recordAudit(tx, { kind: "apiKeyRevoked", actorId: ctx.actor.id, accountId: key.accountId, after: { keyId: key.id, name: key.name, prefix: key.prefix }, at: now });
    return { ok: true as const, key };
  });
}
