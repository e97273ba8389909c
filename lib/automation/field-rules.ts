import type { Tx } from "@/db/client";
import type { Order } from "@/db/schema";
import { type FieldChange, evaluateFieldChanges } from "./evaluator";
import { deliverEmailsAfterResponse } from "./outbox";
import { enabledRules, loadRecipients, recordFirings } from "./runner";

export type { FieldChange };

/**
 * Evaluates field rules for the fields just saved, in the saving transaction: the firing and its
 * notifications commit (or roll back) with the change itself. `order` is the order as updated,
 * so its version names the change.
 */
export async function applyFieldRules(tx: Tx, order: Order, changes: FieldChange[], now: Date): Promise<void> {
  if (!changes.length) return;
  const rules = await enabledRules(tx, "field_equals");
  const firings = evaluateFieldChanges(rules, order, changes);
  if (!firings.length) return;
  const recipients = await loadRecipients(tx, [...new Set(firings.map((f) => f.recipientRole))]);
  const { notified } = await recordFirings(tx, firings, recipients, now);
  if (notified) deliverEmailsAfterResponse();
}
