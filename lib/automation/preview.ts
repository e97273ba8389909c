import "server-only";
import { sql } from "drizzle-orm";
import { type Executor, rowsOf } from "@/db/client";
import { openStageEntry } from "@/db/queries/automation";
import { type AutomationRule, orders, stageEntries } from "@/db/schema";
import { triggerHoldsSql } from "./runner";

/** How many active orders a rule would fire for now, and the first of them (soonest due first). */
export type RulePreview = { count: number; first: number[] };
export const PREVIEW_FIRST = 10;

/**
 * The rules page's preview ("would fire now for N orders"), nothing recorded: each rule's trigger
 * as the automation pass writes it in SQL (runner.ts, triggerHoldsSql), over the active orders
 * and their open stage entries. Every rule's count comes from one pass over the active orders;
 * each rule's first orders from the open orders' due-time index, which stops at PREVIEW_FIRST.
 */
export async function rulePreviews(db: Executor, rules: readonly Pick<AutomationRule, "id" | "trigger">[], now: Date): Promise<Map<number, RulePreview>> {
  if (!rules.length) return new Map();
  const holds = rules.map((r) => triggerHoldsSql(r.trigger, now));
  // 'active' as a literal, so the planner can read the partial indexes over open orders.
  const active = sql`${orders} join ${stageEntries} on ${openStageEntry} where ${orders.state} = 'active'`;
  const [counts, ...firsts] = await Promise.all([
    db.execute(sql`select ${sql.join(holds.map((h, i) => sql`(count(*) filter (where ${h}))::int as ${sql.identifier(`r${i}`)}`), sql`, `)} from ${active}`),
    ...holds.map((h) => db.execute(sql`select ${orders.id} as id from ${active} and ${h} order by ${orders.stageDueAt}, ${orders.id} limit ${PREVIEW_FIRST}`)),
  ]);
  const [row] = rowsOf<Record<string, number>>(counts);
  return new Map(rules.map((r, i) => [r.id, { count: Number(row[`r${i}`]), first: rowsOf<{ id: number }>(firsts[i]).map((f) => Number(f.id)) }]));
}
