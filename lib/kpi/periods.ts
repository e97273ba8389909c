/** The KPI periods and their labels, apart from the zod filter (./filters.ts) so the filter form's bundle carries no zod. */
export const kpiPeriods = ["7", "30", "90", "custom"] as const;
export type KpiPeriod = (typeof kpiPeriods)[number];
export const kpiPeriodLabels: Record<KpiPeriod, string> = {
  "7": "Last 7 days",
  "30": "Last 30 days",
  "90": "Last 90 days",
  custom: "Custom range",
};
