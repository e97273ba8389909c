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

/** How long the rules page keeps a preview: counting reads every active order. */
export const PREVIEW_KEPT_MS = 60_000;
const kept = new Map<string, { at: number; previews: Promise<Map<number, RulePreview>> }>();

/**
 * The previews as the rules page shows them: counted at most PREVIEW_KEPT_MS ago for the same
 * rules and triggers (an edited trigger is counted anew), with when they were counted. Views at
 * once share one count.
 */
export async function keptRulePreviews(db: Executor, rules: readonly Pick<AutomationRule, "id" | "trigger">[], now = new Date()) {
  const key = JSON.stringify(rules.map((r) => [r.id, r.trigger]));
  let entry = kept.get(key);
  const age = entry ? now.getTime() - entry.at : Infinity;
  if (!entry || age >= PREVIEW_KEPT_MS || age < 0) {
    entry = { at: now.getTime(), previews: rulePreviews(db, rules, now) };
    kept.delete(key);
    kept.set(key, entry);
    entry.previews.catch(() => kept.get(key) === entry && kept.delete(key));
    while (kept.size > 20) kept.delete(kept.keys().next().value!);
  }
  return { previews: await entry.previews, countedAt: new Date(entry.at) };
}
