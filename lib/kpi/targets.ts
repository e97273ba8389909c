import { type StageKey, stage } from "@/lib/workflow";

/**
 * The KPI targets of the process card, defined once beside the workflow (stage targets come from
 * `stages[].target` in lib/workflow). `amber` is where a figure stops being green but is still
 * near its target; past it the figure is red.
 */
export const kpiTargets = {
  /** Order submitted → received by the store; faster than the range is not a problem. */
  productionTime: { minDays: 5, maxDays: 7, amberMaxDays: 8.5, label: "5–7 days" },
  onTime: { target: 0.92, amber: 0.85, label: "92 %" },
  qualityPass: { target: 0.97, amber: 0.93, label: "97 %" },
  satisfaction: { target: 4.6, amber: 4.2, scale: 5, label: "4.6 / 5" },
} as const;

export type KpiState = "green" | "amber" | "red";
export const kpiStateLabels: Record<KpiState, string> = { green: "On target", amber: "Near target", red: "Off target" };

/** For figures where more is better (on-time rate, pass rate, rating). */
export function atLeastState(value: number, target: { target: number; amber: number }): KpiState {
  if (value >= target.target) return "green";
  return value >= target.amber ? "amber" : "red";
}

export function productionTimeState(days: number): KpiState {
  const t = kpiTargets.productionTime;
  if (days <= t.maxDays) return "green";
  return days <= t.amberMaxDays ? "amber" : "red";
}

/**
 * A stage against its target: green when nine in ten entries finish within it (p90 ≤ target),
 * amber when only the average does, red when the average itself is over.
 */
export function stageTimeState(key: StageKey, avgMs: number, p90Ms: number): KpiState {
  const due = stage(key).target.dueAfterMs;
  if (p90Ms <= due) return "green";
  return avgMs <= due ? "amber" : "red";
}
