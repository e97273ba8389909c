import "server-only";
import type { Executor } from "@/db/client";
import { type Actor, seesAllStores } from "@/lib/workflow";
import type { KpiFilter } from "./filters";
import { type KpiReport, type PeriodFigures, periodFigures, workInProgress } from "./queries";

/**
 * The KPI page's period figures, kept in memory for a minute per period and scope: they change
 * only when orders complete, stages close or inspections are recorded, and reading them is most
 * of the page's work (about 20,000 histogram rows for 90 days). "Right now" (work in progress,
 * overdue) is never kept: it comes from the order counters on every view. Concurrent views of
 * the same figures share one computation. Each app server keeps its own (decision 022).
 */

export const KPI_CACHE_MS = 60_000;
const MAX_ENTRIES = 200;
type Entry = { at: number; figures: Promise<PeriodFigures> };
const entries = new Map<string, Entry>();

/** Who sees which figures: every store, or exactly these (a store manager's own), and the period and store chosen. */
function keyOf(actor: Actor, filter: KpiFilter) {
  const scope = seesAllStores(actor) ? "all" : [...actor.storeIds].sort((a, b) => a - b).join(",");
  return `${scope}|${filter.storeId ?? ""}|${filter.start.toISOString()}|${filter.end.toISOString()}`;
}

/** The report as the page shows it: the period's figures from the cache (at most KPI_CACHE_MS old), "right now" fresh. */
export async function cachedKpiReport(db: Executor, actor: Actor, filter: KpiFilter, now = new Date()): Promise<KpiReport & { figuresAt: Date }> {
  const key = keyOf(actor, filter);
  let entry = entries.get(key);
  const age = entry ? now.getTime() - entry.at : Infinity;
  if (!entry || age >= KPI_CACHE_MS || age < 0) {
    entry = { at: now.getTime(), figures: periodFigures(db, actor, filter) };
    entries.delete(key);
    entries.set(key, entry);
    // A failure is not kept: the next view tries again.
    entry.figures.catch(() => entries.get(key) === entry && entries.delete(key));
    while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  }
  const [figures, current] = await Promise.all([entry.figures, workInProgress(db, actor, filter, now)]);
  return { ...figures, now: current, figuresAt: new Date(entry.at) };
}
