import "server-only";
import type { Executor } from "@/db/client";
import { activeOrderFacts } from "@/db/queries/automation";
import type { AutomationRule } from "@/db/schema";
import { triggerHoldsNow } from "./evaluator";

/** How many orders a rule would fire for now, and the first of them by id. */
export type RulePreview = { count: number; first: number[] };
export const PREVIEW_FIRST = 10;

/** The rules page's preview ("would fire now for N orders"): nothing is recorded. */
export async function rulePreviews(db: Executor, rules: readonly Pick<AutomationRule, "id" | "trigger">[], now: Date): Promise<Map<number, RulePreview>> {
  const facts = await activeOrderFacts(db);
  return new Map(
    rules.map((r) => {
      const ids = facts.filter((o) => triggerHoldsNow(r.trigger, o, now)).map((o) => o.id).sort((a, b) => a - b);
      return [r.id, { count: ids.length, first: ids.slice(0, PREVIEW_FIRST) }];
    }),
  );
}
