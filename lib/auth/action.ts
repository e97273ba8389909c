import "server-only";
import { after } from "next/server";
import type { z } from "zod";
import { getDb } from "@/db/client";
import { formObject, formValues } from "@/lib/forms/form-data";
import { type ActionState, type Ctx, type Result, zodFailure } from "@/lib/result";

export type { ActionState };
import { currentActor } from "./session";

/** What `done` may return: the success message, or the message with a secret to show once. */
type Success = string | Pick<ActionState, "message" | "oneTimeSecret"> | undefined | void;
type Done<I, R> = (result: { ok: true } & R, input: I) => Success;

/**
 * The wrapper every server action goes through (saas-starter's validatedActionWithUser is the
 * model): the session is read and the account reloaded (active, roles, stores), the form is
 * parsed with the input's zod schema (the one the form and the command share), and the handler
 * runs with a command context whose after-commit work runs after the response. The command
 * itself checks the policy against the loaded order. `done` revalidates or redirects on
 * success and may return the message to show (with a secret to show once, such as a generated
 * password). Signed-out calls get a message, not a throw.
 */
export function validatedAction<S extends z.ZodType, R extends object>(
  schema: S,
  handler: (input: z.output<S>, ctx: Ctx) => Promise<Result<R>>,
  done?: Done<z.output<S>, R>,
) {
  return async (_prev: ActionState | undefined, formData: FormData): Promise<ActionState> => {
    const values = formValues(formData);
    const actor = await currentActor();
    if (!actor) return { ok: false, signedOut: true, formError: "Your session has ended: sign in again to continue.", values };
    const parsed = schema.safeParse(formObject(formData));
    if (!parsed.success) {
      const { ok: _ok, ...failure } = zodFailure(parsed.error.issues);
      return { ok: false, ...failure, values };
    }
    const result = await handler(parsed.data, { db: await getDb(), actor, afterCommit: (task) => after(task) });
    if (!result.ok) {
      const { ok: _ok, ...failure } = result;
      return { ok: false, ...failure, values };
    }
    const success = done?.(result, parsed.data);
    const { message, oneTimeSecret } = typeof success === "string" ? { message: success, oneTimeSecret: undefined } : (success ?? {});
    return { ok: true, ...(message ? { message } : {}), ...(oneTimeSecret ? { oneTimeSecret } : {}) };
  };
}
