import { z } from "zod";
import { isoDateSchema, oneParam as one, parseId } from "@/lib/forms/input";
import { todayIso } from "@/lib/workflow";

/**
 * The KPI filter as it travels in the URL (`?period=30&store=2`, or `?period=custom&from=…&to=…`),
 * shared by the page, its form and the CSV export. Periods are whole days in UTC, both ends
 * included: "last 7 days" is today and the six days before it.
 */

import { type KpiPeriod, kpiPeriods } from "./periods";

export { type KpiPeriod, kpiPeriodLabels, kpiPeriods } from "./periods";
export const DEFAULT_PERIOD: KpiPeriod = "90";
/** A custom range is capped so one request cannot ask for decades of weekly buckets. */
export const MAX_RANGE_DAYS = 731;

const DAY = 24 * 60 * 60 * 1000;
const isoDate = isoDateSchema;
/** A store id; absent or empty is all stores, anything else that is no id is refused (400 / not found). */
const storeParam = z.unknown().transform((v, ctx) => {
  if (v === undefined || v === "") return undefined;
  const id = parseId(v);
  if (id === null) ctx.addIssue({ code: "custom", message: "Choose a store from the list" });
  return id ?? undefined;
});

export const kpiFilterSchema = z
  .object({
    period: z.preprocess(one, z.enum(kpiPeriods).catch(DEFAULT_PERIOD)),
    from: z.preprocess(one, isoDate.optional()),
    to: z.preprocess(one, isoDate.optional()),
    store: z.preprocess(one, storeParam),
  })
  .superRefine((v, ctx) => {
    if (v.period !== "custom") return;
    if (!v.from) ctx.addIssue({ code: "custom", path: ["from"], message: "Choose the first day" });
    if (!v.to) ctx.addIssue({ code: "custom", path: ["to"], message: "Choose the last day" });
    if (v.from && v.to && v.from > v.to) ctx.addIssue({ code: "custom", path: ["to"], message: "The last day cannot be before the first" });
    if (v.from && v.to && (Date.parse(v.to) - Date.parse(v.from)) / DAY >= MAX_RANGE_DAYS) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "Choose at most two years" });
    }
  });

export type KpiFilter = {
  period: KpiPeriod;
  /** First and last day of the period (UTC dates, both included). */
  from: string;
  to: string;
  /** Instants: `start` inclusive, `end` exclusive (the midnight after `to`). */
  start: Date;
  end: Date;
  storeId?: number;
};

export type KpiFilterResult = {
  filter: KpiFilter;
  /** Field messages for a custom range that could not be used; the default period is shown instead. */
  errors: Record<string, string[]>;
  /** What the form shows, as entered. */
  values: { period: KpiPeriod; from: string; to: string; store: string };
};

const shiftDays = (iso: string, days: number) => todayIso(new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY));

export function periodFilter(period: KpiPeriod, from: string, to: string, storeId?: number): KpiFilter {
  return { period, from, to, start: new Date(`${from}T00:00:00Z`), end: new Date(`${shiftDays(to, 1)}T00:00:00Z`), storeId };
}

function lastDays(days: number, now: Date, storeId?: number): KpiFilter {
  const to = todayIso(now);
  return periodFilter(String(days) as KpiPeriod, shiftDays(to, -(days - 1)), to, storeId);
}

/** URL search params → the filter to run, with messages for a range that was not usable. */
export function parseKpiFilter(raw: Record<string, unknown>, now = new Date()): KpiFilterResult {
  const parsed = kpiFilterSchema.safeParse(raw);
  const text = (v: unknown) => (typeof one(v) === "string" ? (one(v) as string) : "");
  const values = { period: (kpiPeriods as readonly string[]).includes(text(raw.period)) ? (text(raw.period) as KpiPeriod) : DEFAULT_PERIOD, from: text(raw.from), to: text(raw.to), store: text(raw.store) };
  if (!parsed.success) {
    const errors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (errors[issue.path.map(String).join(".")] ??= []).push(issue.message);
    return { filter: lastDays(Number(DEFAULT_PERIOD), now, parseId(values.store) ?? undefined), errors, values };
  }
  const v = parsed.data;
  const filter = v.period === "custom" ? periodFilter("custom", v.from!, v.to!, v.store) : lastDays(Number(v.period), now, v.store);
  return { filter, errors: {}, values: { ...values, period: filter.period, from: filter.from, to: filter.to } };
}

/** The filter as URL search params, for links (export, charts) that keep the same view. */
export function kpiSearchParams(filter: KpiFilter): URLSearchParams {
  const params = new URLSearchParams({ period: filter.period });
  if (filter.period === "custom") {
    params.set("from", filter.from);
    params.set("to", filter.to);
  }
  if (filter.storeId) params.set("store", String(filter.storeId));
  return params;
}

/**
 * Starting a background export: the KPI page's query as the form's hidden inputs. Only their
 * shape is checked here; parseKpiFilter reads them as the page does (lib/kpi/export-jobs.ts).
 */
const queryValue = z.string({ error: "Reload the page and try again" }).max(64, "Reload the page and try again").optional();
export const startExportSchema = z.object({ period: queryValue, from: queryValue, to: queryValue, store: queryValue });
export type StartExportInput = z.input<typeof startExportSchema>;
