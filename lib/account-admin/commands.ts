import "server-only";
import { randomInt } from "node:crypto";
import { and, arrayOverlaps, eq, inArray, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { accounts, storeMembers, stores } from "@/db/schema";
import type { Account } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { endSessions } from "@/lib/auth/actor";
import { UNKNOWN_ADDRESS } from "@/lib/auth/client-address";
import { type ThrottleOptions, throttledCheck } from "@/lib/auth/sign-in";
import { clearEmail } from "@/lib/auth/throttle";
import { hashPassword } from "@/lib/auth/password";
import { can } from "@/lib/auth/policy";
import { DEMO_PASSWORD } from "@/lib/demo/accounts";
import { env } from "@/lib/env";
import { type Ctx, type Failure, type Result, zodFailure } from "@/lib/result";
import { type RoleKey, grants, isAdministrator } from "@/lib/workflow";
import {
  type ChangeOwnPasswordInput,
  type CreateAccountInput,
  type OwnTimeZoneInput,
  type ResetPasswordInput,
  type SetAccountActiveInput,
  type UnlockSignInInput,
  type UpdateAccountInput,
  changeOwnPasswordSchema,
  createAccountSchema,
  ownTimeZoneSchema,
  resetPasswordSchema,
  setAccountActiveSchema,
  unlockSignInSchema,
  updateAccountSchema,
} from "./schemas";

/**
 * Accounts in the app (SPEC.md "Accounts, stores and sessions"): administrators create, change,
 * deactivate and reactivate them and reset passwords; everyone changes their own password and
 * signs out everywhere. Each change and its audit entry commit together, and a change that
 * must end the account's sessions (roles, deactivation, password) raises its session version.
 */

const onlyAdmins: Failure = { ok: false, formError: "Only administrators can manage accounts" };

/** 16 characters from an alphabet without look-alikes, in groups of four: about 80 bits. */
export function generatePassword(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const chars = Array.from({ length: 16 }, () => alphabet[randomInt(alphabet.length)]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join("")).join("-");
}

/** Rules a password's schema cannot know: not the account's email, not the demo password in production. */
export function passwordProblem(password: string, email: string, production = env().NODE_ENV === "production"): string | null {
  if (password.trim().toLowerCase() === email.toLowerCase()) return "The password cannot be the account's email";
  if (production && password === DEMO_PASSWORD) return "That is the demo password: choose another";
  return null;
}

/** The account's view for the audit log: what an administrator changes. */
const auditView = (a: { name: string; roles: RoleKey[]; active: boolean }, storeIds: number[]) => ({ name: a.name, roles: a.roles, storeIds, active: a.active });

async function storeIdsOf(tx: Tx, accountId: number) {
  const rows = await tx.select({ storeId: storeMembers.storeId }).from(storeMembers).where(eq(storeMembers.accountId, accountId));
  return rows.map((r) => r.storeId).sort((a, b) => a - b);
}

/** Stores that exist; an archived one can still be given (its history stays readable). */
async function unknownStores(tx: Tx, storeIds: number[]) {
  if (!storeIds.length) return false;
  const rows = await tx.select({ id: stores.id }).from(stores).where(inArray(stores.id, storeIds));
  return rows.length !== storeIds.length;
}

/**
 * An administrator cannot demote or deactivate themself, and the last active administrator
 * can never be removed. The administrators' rows are locked first, so two administrators
 * removing each other at once cannot both succeed.
 */
async function adminGuard(tx: Tx, actorId: number, target: Account, next: { roles: RoleKey[]; active: boolean }): Promise<string | null> {
  const wasAdmin = target.active && isAdministrator(target.roles);
  const staysAdmin = next.active && isAdministrator(next.roles);
  if (!wasAdmin || staysAdmin) return null;
  if (target.id === actorId) return next.active ? "You cannot remove your own administrator role" : "You cannot deactivate your own account";
  // Locked already (lockAccount); read again as they are now.
  const admins = await tx
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.active, true), arrayOverlaps(accounts.roles, [...grants.manageAccounts])))
    .orderBy(accounts.id)
    .for("update");
  return admins.some((a) => a.id !== target.id) ? null : "The last active administrator cannot be removed";
}

/**
 * Locks the account for a change. When it is an active administrator, every active
 * administrator's row is locked first, in id order: two administrators removing each other at
 * once then queue instead of deadlocking, and the second sees the first's change.
 */
async function lockAccount(tx: Tx, accountId: number) {
  const [peek] = await tx.select({ active: accounts.active, roles: accounts.roles }).from(accounts).where(eq(accounts.id, accountId));
  if (!peek) return null;
  if (peek.active && isAdministrator(peek.roles)) {
    await tx
      .select({ id: accounts.id })
      .from(accounts)
      .where(and(eq(accounts.active, true), arrayOverlaps(accounts.roles, [...grants.manageAccounts])))
      .orderBy(accounts.id)
      .for("update");
  }
  const [row] = await tx.select().from(accounts).where(eq(accounts.id, accountId)).for("update");
  return row ?? null;
}

const isUniqueViolation = (error: unknown) => {
  const e = error as { code?: string; cause?: { code?: string } };
  return e?.code === "23505" || e?.cause?.code === "23505";
};

export async function createAccount(ctx: Ctx, input: CreateAccountInput): Promise<Result<{ account: Account; generatedPassword?: string }>> {
  if (!can.manageAccounts(ctx.actor)) return onlyAdmins;
  const parsed = createAccountSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { name, email, roles, storeIds, generatePassword: generate } = parsed.data;
  const password = generate ? generatePassword() : parsed.data.password!;
  const problem = passwordProblem(password, email);
  if (problem) return { ok: false, fieldErrors: { password: [problem] }, formError: "Check the highlighted fields" };
  const taken: Failure = { ok: false, fieldErrors: { email: ["An account with this email already exists"] }, formError: "Check the highlighted fields" };
  const passwordHash = await hashPassword(password);
  try {
    return await ctx.db.transaction(async (tx): Promise<Result<{ account: Account; generatedPassword?: string }>> => {
      const [existing] = await tx.select({ id: accounts.id }).from(accounts).where(sql`lower(${accounts.email}) = ${email}`);
      if (existing) return taken;
      if (await unknownStores(tx, storeIds)) return { ok: false, fieldErrors: { storeIds: ["Choose stores from the list"] }, formError: "Check the highlighted fields" } as Failure;
      const [account] = await tx.insert(accounts).values({ name, email, roles, passwordHash, passwordChangedAt: ctx.now ?? new Date() }).returning();
      if (storeIds.length) await tx.insert(storeMembers).values(storeIds.map((storeId) => ({ accountId: account.id, storeId })));
      await recordAudit(tx, { kind: "accountCreated", actorId: ctx.actor.id, accountId: account.id, email, after: auditView(account, storeIds) });
      return { ok: true as const, account, ...(generate ? { generatedPassword: password } : {}) };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return taken;
    throw error;
  }
}

/** Name, roles and stores. A change of roles ends the account's sessions. */
export async function updateAccount(ctx: Ctx, input: UpdateAccountInput): Promise<Result<{ account: Account }>> {
  if (!can.manageAccounts(ctx.actor)) return onlyAdmins;
  const parsed = updateAccountSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { accountId, name, roles, storeIds } = parsed.data;
  return ctx.db.transaction(async (tx): Promise<Result<{ account: Account }>> => {
    const target = await lockAccount(tx, accountId);
    if (!target) return { ok: false, notFound: true, formError: "That account no longer exists" };
    const guard = await adminGuard(tx, ctx.actor.id, target, { roles, active: target.active });
    if (guard) return { ok: false, fieldErrors: { roles: [guard] }, formError: guard };
    if (await unknownStores(tx, storeIds)) return { ok: false, fieldErrors: { storeIds: ["Choose stores from the list"] }, formError: "Check the highlighted fields" };
    const beforeStores = await storeIdsOf(tx, accountId);
    const rolesChanged = [...target.roles].sort().join() !== [...roles].sort().join();
    const [account] = await tx.update(accounts).set({ name, roles }).where(eq(accounts.id, accountId)).returning();
    await tx.delete(storeMembers).where(eq(storeMembers.accountId, accountId));
    if (storeIds.length) await tx.insert(storeMembers).values(storeIds.map((storeId) => ({ accountId, storeId })));
    if (rolesChanged) await endSessions(tx, accountId);
    const before = auditView(target, beforeStores);
    const after = auditView(account, [...storeIds].sort((a, b) => a - b));
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      await recordAudit(tx, { kind: "accountChanged", actorId: ctx.actor.id, accountId, before, after });
    }
    return { ok: true as const, account };
  });
}

/** Deactivate (ends every session at once) or reactivate. */
export async function setAccountActive(ctx: Ctx, input: SetAccountActiveInput): Promise<Result<{ account: Account }>> {
  if (!can.manageAccounts(ctx.actor)) return onlyAdmins;
  const parsed = setAccountActiveSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { accountId, active, confirmed } = parsed.data;
  return ctx.db.transaction(async (tx): Promise<Result<{ account: Account }>> => {
    const target = await lockAccount(tx, accountId);
    if (!target) return { ok: false, notFound: true, formError: "That account no longer exists" };
    if (target.active === active) return { ok: true as const, account: target };
    const guard = await adminGuard(tx, ctx.actor.id, target, { roles: target.roles, active });
    if (guard) return { ok: false, formError: guard };
    if (!active && !confirmed) {
      const question = `Deactivate ${target.name} (${target.email})? Their sessions end at once and they cannot sign in until reactivated.`;
      return { ok: false, confirm: { question, yes: "Yes, deactivate the account" } };
    }
    const [account] = await tx.update(accounts).set({ active }).where(eq(accounts.id, accountId)).returning();
    if (!active) await endSessions(tx, accountId);
    const storeIds = await storeIdsOf(tx, accountId);
    await recordAudit(tx, { kind: "accountChanged", actorId: ctx.actor.id, accountId, before: auditView(target, storeIds), after: auditView(account, storeIds) });
    return { ok: true as const, account };
  });
}

/** An administrator sets a new password (typed, or generated and shown once); every session ends. */
export async function resetPassword(ctx: Ctx, input: ResetPasswordInput): Promise<Result<{ generatedPassword?: string }>> {
  if (!can.manageAccounts(ctx.actor)) return onlyAdmins;
  const parsed = resetPasswordSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { accountId, generatePassword: generate } = parsed.data;
  const password = generate ? generatePassword() : parsed.data.password!;
  const passwordHash = await hashPassword(password);
  return ctx.db.transaction(async (tx): Promise<Result<{ generatedPassword?: string }>> => {
    const target = await lockAccount(tx, accountId);
    if (!target) return { ok: false, notFound: true, formError: "That account no longer exists" };
    const problem = passwordProblem(password, target.email);
    if (problem) return { ok: false, fieldErrors: { password: [problem] }, formError: "Check the highlighted fields" };
    await tx.update(accounts).set({ passwordHash, passwordChangedAt: ctx.now ?? new Date() }).where(eq(accounts.id, accountId));
    await endSessions(tx, accountId);
    // The old password's failed guesses no longer say anything about the new one.
    await clearEmail(tx, target.email);
    await recordAudit(tx, { kind: "passwordReset", actorId: ctx.actor.id, accountId });
    return { ok: true as const, ...(generate ? { generatedPassword: password } : {}) };
  });
}

/**
 * Clears the account's sign-in throttle: the wait its failures cause and the locks on every
 * (email, address) pair, so the owner signs in at once. Not the addresses' own locks: those are
 * the addresses', whatever email they tried.
 */
export async function unlockSignIn(ctx: Ctx, input: UnlockSignInInput): Promise<Result<{ cleared: number }>> {
  if (!can.manageAccounts(ctx.actor)) return onlyAdmins;
  const parsed = unlockSignInSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { accountId } = parsed.data;
  return ctx.db.transaction(async (tx): Promise<Result<{ cleared: number }>> => {
    const [target] = await tx.select({ email: accounts.email }).from(accounts).where(eq(accounts.id, accountId));
    if (!target) return { ok: false, notFound: true, formError: "That account no longer exists" };
    const cleared = await clearEmail(tx, target.email);
    await recordAudit(tx, { kind: "signInUnlocked", actorId: ctx.actor.id, accountId, email: target.email, at: ctx.now, after: { cleared } });
    return { ok: true as const, cleared };
  });
}

export const TOO_MANY_PASSWORD_GUESSES = "Too many wrong passwords. For your security, try again in 15 minutes.";

/**
 * Anyone, for their own account: the current password first, checked under the same throttle
 * as sign-in (a stolen session cannot guess it). Every session ends, this one too.
 */
export async function changeOwnPassword(ctx: Ctx, input: ChangeOwnPasswordInput, options: Pick<ThrottleOptions, "wait"> = {}): Promise<Result> {
  const parsed = changeOwnPasswordSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  const { currentPassword, newPassword } = parsed.data;
  const check = await throttledCheck(ctx.db, { email: ctx.actor.email, password: currentPassword }, ctx.clientAddress ?? UNKNOWN_ADDRESS, {
    ...options,
    now: ctx.now,
    afterCommit: ctx.afterCommit,
    via: "changePassword",
  });
  if (check.status === "locked") return { ok: false, fieldErrors: { currentPassword: [TOO_MANY_PASSWORD_GUESSES] }, formError: TOO_MANY_PASSWORD_GUESSES };
  if (check.status !== "ok") {
    return { ok: false, fieldErrors: { currentPassword: ["That is not your current password"] }, formError: "Check the highlighted fields" };
  }
  const problem = passwordProblem(newPassword, ctx.actor.email) ?? (newPassword === currentPassword ? "Choose a password different from the current one" : null);
  if (problem) return { ok: false, fieldErrors: { newPassword: [problem] }, formError: "Check the highlighted fields" };
  const passwordHash = await hashPassword(newPassword);
  await ctx.db.transaction(async (tx) => {
    await tx.update(accounts).set({ passwordHash, passwordChangedAt: ctx.now ?? new Date() }).where(eq(accounts.id, ctx.actor.id));
    await endSessions(tx, ctx.actor.id);
    await recordAudit(tx, { kind: "passwordChanged", actorId: ctx.actor.id, accountId: ctx.actor.id });
  });
  return { ok: true };
}

/** The time zone one reads times in (first detected at sign-in). */
export async function setOwnTimeZone(ctx: Ctx, input: OwnTimeZoneInput): Promise<Result> {
  const parsed = ownTimeZoneSchema.safeParse(input);
  if (!parsed.success) return zodFailure(parsed.error.issues);
  await ctx.db.update(accounts).set({ timeZone: parsed.data.timeZone }).where(eq(accounts.id, ctx.actor.id));
  return { ok: true };
}

/** Ends every session of one's own account, on every device. */
export async function signOutEverywhere(ctx: Ctx): Promise<Result> {
  await ctx.db.transaction(async (tx) => {
    await endSessions(tx, ctx.actor.id);
    await recordAudit(tx, { kind: "signOutEverywhere", actorId: ctx.actor.id, accountId: ctx.actor.id });
  });
  return { ok: true };
}
