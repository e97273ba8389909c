import "server-only";
import { redirect, unstable_rethrow } from "next/navigation";
import { headers } from "next/headers";
import { after } from "next/server";
import type { z } from "zod";
import { type Db, getDb } from "@/db/client";
import { reportUnexpected } from "@/lib/errors";
import { formLists, formObject, formValues } from "@/lib/forms/form-data";
import { type ActionState, type Ctx, type Result, zodFailure } from "@/lib/result";
import type { Actor } from "@/lib/workflow";
import { clientAddress } from "./client-address";

export type { ActionState };

export type ActionHandler<S extends z.ZodType, R extends object> = (input: z.output<S>, ctx: Ctx) => Promise<Result<R>>;
/** What `done` may return: the success message, or the message with a secret to show once. */
type Success = string | Pick<ActionState, "message" | "oneTimeSecret"> | undefined | void;
type Done<I, R> = (result: { ok: true } & R, input: I) => Success;

/** What running an action gave: the state its form shows and, when it succeeded, the command's result. */
export type ActionRun<I, R extends object> = { state: ActionState; success?: { result: { ok: true } & R; input: I } };

/**
 * The session had ended (signed out here or elsewhere, deactivated, password changed): nothing was
 * done, and the form keeps what was typed. The form offers sign-in in a new tab (components/
 * order/action-feedback.tsx), so the page and its input stay until the person presses again.
 */
export const signedOutState = { ok: false, signedOut: true, formError: "You were signed out — sign in again (opens a new tab), then press the button again." } as const;

/** Something unexpected (the database went away, a bug): logged with a reference, said as the form's message. */
function unexpectedState(error: unknown, typed: Pick<ActionState, "values" | "lists">): ActionState {
  const ref = reportUnexpected("server action", error);
  return { ok: false, formError: `Something went wrong on our side (reference ${ref}). Nothing was saved, and what you typed is still here: try again in a moment.`, ...typed };
}

/**
 * Every action here takes a form. A call with anything else (a hand-made request to the action's
 * endpoint) is refused before the session or the database is touched. The proxy already answers
 * 400 to a call whose body is no form at all; this is for a form-shaped body that encodes other values.
 */
export const isForm = (value: unknown): value is FormData => value instanceof FormData;
export const notAFormState = { ok: false, formError: "This request was not a form: reload the page and try again." } as const;

/**
 * The core of every server action, for a given account (null: signed out) and without the
 * framework: the form is parsed with the input's zod schema (the one the form and the command
 * share), the handler runs, and the answer is one state the form renders, with what was typed.
 * A refusal is that state, never a throw. Something unexpected is logged with a reference and
 * without the input (lib/errors.ts), and the person gets the reference. The account may be given
 * as its loader, so that a failure while reading the session (a database blip) is answered the
 * same way, with the form and its input kept.
 */
export async function runAction<S extends z.ZodType, R extends object>(
  actorOrLoader: Actor | null | (() => Promise<Actor | null>),
  schema: S,
  handler: ActionHandler<S, R>,
  formData: FormData,
  ctx: Omit<Ctx, "actor">,
): Promise<ActionRun<z.output<S>, R>> {
  const lists = formLists(formData);
  const typed = { values: formValues(formData), ...(Object.keys(lists).length ? { lists } : {}) };
  try {
    const actor = typeof actorOrLoader === "function" ? await actorOrLoader() : actorOrLoader;
    if (!actor) return { state: { ...signedOutState, ...typed } };
    const parsed = schema.safeParse(formObject(formData));
    if (!parsed.success) {
      const { ok: _ok, ...failure } = zodFailure(parsed.error.issues);
      return { state: { ok: false, ...failure, ...typed } };
    }
    const result = await handler(parsed.data, { ...ctx, actor });
    if (!result.ok) {
      const { ok: _ok, ...failure } = result;
      return { state: { ok: false, ...failure, ...typed } };
    }
    return { state: { ok: true }, success: { result, input: parsed.data } };
  } catch (error) {
    unstable_rethrow(error);
    return { state: unexpectedState(error, typed) };
  }
}

/** The schema and handler behind each action made here: the fuzz suite runs them for every role. */
const definitions = new WeakMap<object, { schema: z.ZodType; handler: ActionHandler<z.ZodType, object> }>();
export const actionDefinition = (action: object) => definitions.get(action);

function define<A extends object>(action: A, schema: z.ZodType, handler: ActionHandler<never, object>): A {
  definitions.set(action, { schema, handler: handler as ActionHandler<z.ZodType, object> });
  return action;
}

/**
 * Runs an action for the request's account and database, with after-commit work run after the
 * response. The session module (Auth.js) is loaded here, on a request, so the core above runs
 * without it (tests, CLI). Opening the database and reading the session happen inside runAction:
 * a database that is down answers as any refusal does, with the form kept.
 */
async function runForRequest<S extends z.ZodType, R extends object>(schema: S, handler: ActionHandler<S, R>, formData: FormData) {
  let db: Db | undefined;
  const address = clientAddress(await headers());
  const ctx: Omit<Ctx, "actor"> = {
    get db(): Db {
      if (!db) throw new Error("database not opened");
      return db;
    },
    clientAddress: address,
    afterCommit: (task) => after(() => task(db!)),
  };
  const loadActor = async () => {
    db = await getDb();
    const { currentActor } = await import("./session");
    return currentActor();
  };
  return runAction(loadActor, schema, handler, formData, ctx);
}

/**
 * The wrapper every server action goes through (saas-starter's validatedActionWithUser is the
 * model): the session is read and the account reloaded (active, roles, stores), then runAction.
 * The command itself checks the policy against the loaded order. `done` revalidates or
 * redirects on success and may return the message to show.
 */
export function validatedAction<S extends z.ZodType, R extends object>(schema: S, handler: ActionHandler<S, R>, done?: Done<z.output<S>, R>) {
  const action = async (_prev: ActionState | undefined, formData: FormData): Promise<ActionState> => {
    if (!isForm(formData)) return notAFormState;
    const run = await runForRequest(schema, handler, formData);
    if (!run.success) return run.state;
    const success = done?.(run.success.result, run.success.input);
    const { message, oneTimeSecret } = typeof success === "string" ? { message: success, oneTimeSecret: undefined } : (success ?? {});
    return { ok: true, ...(message ? { message } : {}), ...(oneTimeSecret ? { oneTimeSecret } : {}) };
  };
  return define(action, schema, handler);
}

/**
 * The same for a form that shows no answer (a button in a list, `<form action>` without state):
 * a signed-out account is sent to sign-in, then back to `returnTo`.
 */
export function validatedFormAction<S extends z.ZodType, R extends object>(
  schema: S,
  handler: ActionHandler<S, R>,
  { returnTo, done }: { returnTo: string; done?: Done<z.output<S>, R> },
) {
  const action = async (formData: FormData): Promise<void> => {
    if (!isForm(formData)) return;
    const run = await runForRequest(schema, handler, formData);
    if (run.state.signedOut) redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
    if (run.success) done?.(run.success.result, run.success.input);
  };
  return define(action, schema, handler);
}
