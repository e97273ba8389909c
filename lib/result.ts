import type { Db } from "@/db/client";
import { reportUnexpected } from "@/lib/errors";
import type { Actor, FieldErrors } from "@/lib/workflow";

/**
 * What every command takes and returns, shared by the order, account and inbox commands and the
 * action wrapper that calls them: a context in, one result shape out.
 */

/**
 * Work to do once the command's transaction has committed (say, sending the emails it queued),
 * handed the database rather than the transaction it ran in. The server-action wrapper runs it
 * after the response with Next's `after`; callers without a hook (tests, CLI) leave it to the
 * next automation pass, or pass `runNow(db)` to do it at once.
 */
export type AfterCommit = (task: (db: Db) => Promise<void>) => void;

export type Ctx = {
  db: Db;
  actor: Actor;
  now?: Date;
  afterCommit?: AfterCommit;
  /** The client's address (lib/auth/client-address.ts), for the password throttle; absent outside a request. */
  clientAddress?: string;
};

/** Runs after-commit work straight away, awaited by nobody: for the CLI and tests that want it. */
export const runNow =
  (db: Db): AfterCommit =>
  (task) => {
    void task(db).catch((error) => reportUnexpected("after-commit task", error));
  };

/** A change made since the version a form was loaded at; `when` is `at` as the account reads it. */
export type ConflictChange = { at: string; when: string; who: string; text: string };

export type Failure = {
  ok: false;
  formError?: string;
  fieldErrors?: FieldErrors;
  notFound?: boolean;
  conflict?: { currentVersion: number; changes: ConflictChange[] };
  /** Open to-dos that completing the stage needs confirmed. */
  openTodos?: string[];
  /**
   * Nothing was done: the command asks first (delete, archive, deactivate). The form shows the
   * question and a second button that submits the same form with `confirmed` ticked.
   */
  confirm?: { question: string; yes: string };
};
export type Result<T = object> = ({ ok: true } & T) | Failure;

/** What every form's server action returns: the one result shape the forms render. */
export type ActionState = Omit<Failure, "ok"> & {
  ok?: boolean;
  message?: string;
  /** What was submitted, so the form keeps it after an error. */
  values?: Record<string, string>;
  /** Names submitted more than once (a group of checkboxes), with all their values. */
  lists?: Record<string, string[]>;
  /** The session had ended: nothing was done. */
  signedOut?: boolean;
  /**
   * A secret to show once (a generated password), with whom it is for (an email): it is never
   * stored in the clear, so this response is its only copy.
   */
  oneTimeSecret?: { secret: string; for?: string };
};

/** Zod issues as field errors, all of them, keyed by their path (`field.part`; "form" for none). */
export function fieldErrorsOf(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldErrors {
  const fieldErrors: FieldErrors = {};
  for (const issue of issues) (fieldErrors[issue.path.map(String).join(".") || "form"] ??= []).push(issue.message);
  return fieldErrors;
}

/**
 * Inputs a form carries hidden (which order, version, rule, account, store or comment): a person
 * cannot correct them beside a field, so a problem with one is said as the form's message.
 */
const hiddenInputs = new Set(["orderId", "version", "stage", "editable", "intent", "ruleId", "notificationId", "submissionToken", "accountId", "storeId", "commentId", "keyId", "endpointId", "deliveryId", "reasonId"]);

export function zodFailure(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Failure {
  const hidden = issues.find((i) => hiddenInputs.has(String(i.path[0])));
  return { ok: false, fieldErrors: fieldErrorsOf(issues), formError: hidden?.message ?? "Check the highlighted fields" };
}
