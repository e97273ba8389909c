import "server-only";
import type { Tx } from "@/db/client";
import type { Order } from "@/db/schema";
import { type FieldChange, evaluateFieldChanges } from "./evaluator";
import { enabledRules, loadRecipients, recordFirings } from "./runner";

export type { FieldChange };

/**
 * Evaluates field rules for the fields just saved, in the saving transaction: the firing and its
 * notifications commit (or roll back) with the change itself. `order` is the order as updated,
 * so its version names the change. Returns how many notifications were queued: their emails
 * leave after the commit (the caller's afterCommit).
 */
export async function applyFieldRules(tx: Tx, order: Order, changes: FieldChange[], now: Date): Promise<number> {
  if (!changes.length) return 0;
  const rules = await enabledRules(tx, "field_equals");
  const firings = evaluateFieldChanges(rules, order, changes);
  if (!firings.length) return 0;
  const recipients = await loadRecipients(tx, [...new Set(firings.map((f) => f.recipientRole))]);
  const { notified } = await recordFirings(tx, firings, recipients, now);
  return notified;
}
