"use server";

import { revalidatePath } from "next/cache";
import { createAccount, resetPassword, setAccountActive, unlockSignIn, updateAccount } from "@/lib/account-admin/commands";
import { createAccountSchema, resetPasswordSchema, setAccountActiveSchema, unlockSignInSchema, updateAccountSchema } from "@/lib/account-admin/schemas";
import { validatedAction } from "@/lib/auth/action";

/**
 * The account pages' server actions. Each command checks the manageAccounts grant itself and
 * guards the last administrator; a generated password comes back once, in the action's state.
 */

const refresh = (accountId?: number) => {
  revalidatePath("/admin/users");
  if (accountId) revalidatePath(`/admin/users/${accountId}`);
};

export const createAccountAction = validatedAction(createAccountSchema, (input, ctx) => createAccount(ctx, input), ({ account, generatedPassword }) => {
  refresh();
  return {
    message: `Account created for ${account.name} (${account.email}).`,
    ...(generatedPassword ? { oneTimeSecret: { secret: generatedPassword, for: account.email } } : {}),
  };
});

export const updateAccountAction = validatedAction(updateAccountSchema, (input, ctx) => updateAccount(ctx, input), (_r, { accountId }) => {
  refresh(accountId);
  return "Saved. A change of roles signs the account out everywhere.";
});

export const setAccountActiveAction = validatedAction(setAccountActiveSchema, (input, ctx) => setAccountActive(ctx, input), (_r, { accountId, active }) => {
  refresh(accountId);
  return active ? "Account reactivated: it can sign in again." : "Account deactivated: it cannot sign in, and its sessions have ended.";
});

export const resetPasswordAction = validatedAction(resetPasswordSchema, (input, ctx) => resetPassword(ctx, input), ({ generatedPassword }, { accountId }) => {
  refresh(accountId);
  return {
    message: "Password reset. The account's sessions have ended.",
    ...(generatedPassword ? { oneTimeSecret: { secret: generatedPassword } } : {}),
  };
});

export const unlockSignInAction = validatedAction(unlockSignInSchema, (input, ctx) => unlockSignIn(ctx, input), (_r, { accountId }) => {
  refresh(accountId);
  return "Unlocked: the account signs in at once, from any address.";
});
