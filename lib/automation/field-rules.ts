import type { Tx } from "@/db/client";
import type { Order } from "@/db/schema";

export type FieldChange = { field: string; before: unknown; after: unknown };

/** Evaluates field rules for the fields just saved, in the saving transaction. */
export async function applyFieldRules(_tx: Tx, _order: Order, _changes: FieldChange[], _now: Date): Promise<void> {
  // Filled in by the automation engine (issue 4).
}
