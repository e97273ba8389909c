import { getDb } from "@/db/client";
import type { Ctx, Failure, Result } from "@/lib/orders/commands";
import { currentActor } from "./session";

/** What every form's server action returns: the one result shape the forms render. */
export type ActionState = Omit<Failure, "ok"> & {
  ok?: boolean;
  message?: string;
  /** What was submitted, so the form keeps it after an error. */
  values?: Record<string, string>;
};

export const formValues = (formData: FormData): Record<string, string> =>
  Object.fromEntries([...formData.entries()].filter((e): e is [string, string] => typeof e[1] === "string"));

/**
 * The wrapper every server action goes through: the session is read and the account reloaded
 * (active, roles, stores) before the handler runs; the handler's command does the zod parse
 * and the policy check against the loaded order. Signed-out calls get a message, not a throw.
 */
export async function withActor(formData: FormData, handler: (ctx: Ctx) => Promise<Result>): Promise<ActionState> {
  const actor = await currentActor();
  const values = formValues(formData);
  if (!actor) return { ok: false, formError: "Your session has ended: sign in again to continue.", values };
  const result = await handler({ db: await getDb(), actor });
  if (result.ok) return { ok: true };
  const { ok: _ok, ...failure } = result;
  return { ok: false, ...failure, values };
}
