import { z } from "zod";
import { checkboxSchema } from "@/lib/forms/fields";
import { secretSchema, textSchema } from "@/lib/forms/input";
import { timeZoneSchema } from "@/lib/forms/time-zones";
import { idSchema, isStoreScoped, roleKeys } from "@/lib/workflow";

/** Inputs of the account pages (/admin/users, /account), shared by their forms and commands. */

export const MIN_PASSWORD_LENGTH = 12;

/** A checkbox group: absent when none is ticked, a string for one, a list for more. */
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (v === undefined || v === null || v === "" ? [] : Array.isArray(v) ? v : [v]), z.array(item));

const rolesSchema = list(z.enum(roleKeys, { error: "Unknown role" })).pipe(
  z.array(z.enum(roleKeys)).min(1, "Choose at least one role").transform((r) => [...new Set(r)]),
);
const storeIdsSchema = list(idSchema).transform((ids) => [...new Set(ids)]);

export const emailSchema = z
  .string({ error: "Enter an email address" })
  .trim()
  .toLowerCase()
  .max(254, "Keep the email under 254 characters")
  .pipe(z.email("Enter an email address such as name@example.com"));

const nameSchema = textSchema({ min: 1, max: 200, singleLine: true, tooShort: "Enter a name", tooLong: "Keep the name under 200 characters", notText: "Enter a name" });

/** The password rule; the email and the demo passwords are checked by the command, which knows them. */
export const passwordSchema = z
  .string({ error: `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters` })
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(200, "Keep the password under 200 characters");

/** Typed, or generated and shown once: one of the two. */
const initialPassword = {
  password: z.string().optional(),
  generatePassword: checkboxSchema,
};

function storesForStoreManagers(v: { roles: string[]; storeIds: number[] }, ctx: z.RefinementCtx) {
  if (v.roles.some((r) => isStoreScoped(r as (typeof roleKeys)[number])) && v.storeIds.length === 0) {
    ctx.addIssue({ code: "custom", path: ["storeIds"], message: "Choose the store or stores this store manager works for" });
  }
}

function typedOrGenerated(v: { password?: string; generatePassword: boolean }, ctx: z.RefinementCtx) {
  if (v.generatePassword) return;
  const typed = passwordSchema.safeParse(v.password ?? "");
  for (const issue of typed.success ? [] : typed.error.issues) ctx.addIssue({ code: "custom", path: ["password"], message: v.password ? issue.message : "Type a password, or tick “Generate a password”" });
}

export const createAccountSchema = z
  .object({ name: nameSchema, email: emailSchema, roles: rolesSchema, storeIds: storeIdsSchema, ...initialPassword })
  .superRefine(storesForStoreManagers)
  .superRefine(typedOrGenerated);
/** As submitted: an unticked checkbox is absent. */
export type CreateAccountInput = Omit<z.input<typeof createAccountSchema>, "generatePassword"> & { generatePassword?: unknown };

export const updateAccountSchema = z
  .object({ accountId: idSchema, name: nameSchema, roles: rolesSchema, storeIds: storeIdsSchema })
  .superRefine(storesForStoreManagers);
export type UpdateAccountInput = z.input<typeof updateAccountSchema>;

/** `confirmed`: the second press, after the form asked before deactivating. */
export const setAccountActiveSchema = z.object({ accountId: idSchema, active: checkboxSchema, confirmed: checkboxSchema.optional() });
export type SetAccountActiveInput = z.input<typeof setAccountActiveSchema>;

/** An administrator clears an account's sign-in throttle (every address's failures and locks). */
export const unlockSignInSchema = z.object({ accountId: idSchema });
export type UnlockSignInInput = z.input<typeof unlockSignInSchema>;

export const resetPasswordSchema = z.object({ accountId: idSchema, ...initialPassword }).superRefine(typedOrGenerated);
export type ResetPasswordInput = Omit<z.input<typeof resetPasswordSchema>, "generatePassword"> & { generatePassword?: unknown };

export const changeOwnPasswordSchema = z
  .object({
    currentPassword: secretSchema({ message: "Enter your current password" }),
    newPassword: passwordSchema,
    confirmPassword: z.string().optional(),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], message: "The two new passwords differ" });
export type ChangeOwnPasswordInput = z.input<typeof changeOwnPasswordSchema>;

/** The zone one reads times in, chosen on the account page. */
export const ownTimeZoneSchema = z.object({ timeZone: timeZoneSchema });
export type OwnTimeZoneInput = z.input<typeof ownTimeZoneSchema>;


