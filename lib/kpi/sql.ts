import { type AnyColumn, type SQL, and, eq, sql } from "drizzle-orm";
import { scopeCondition } from "@/db/queries/orders";
import { inspectionFailReasons, inspections, orders, stageEntries } from "@/db/schema";
import { type Actor, deliveryProblems } from "@/lib/workflow";
import type { KpiFilter } from "./filters";

/**
 * What the KPI figures count, written once in SQL for the page's queries (queries.ts) and the
 * CSV export (export.ts). The definitions are docs/decisions/007-kpi-definitions.md.
 */

type Period = Pick<KpiFilter, "start" | "end">;

const periodStart = (f: Period) => sql`${f.start.toISOString()}::timestamptz`;
const periodEnd = (f: Period) => sql`${f.end.toISOString()}::timestamptz`;
/** `col` within the period: from its first midnight (UTC) up to, not including, the one after its last day. */
export const inPeriod = (col: SQL | AnyColumn, f: Period) => sql`${col} >= ${periodStart(f)} and ${col} < ${periodEnd(f)}`;

/** Orders the actor may see, narrowed to the chosen store; undefined when that is every order. */
export function storeScope(actor: Actor, filter: Pick<KpiFilter, "storeId">): SQL | undefined {
  return and(scopeCondition(actor), filter.storeId ? eq(orders.storeId, filter.storeId) : undefined);
}
export const orderScope = (actor: Actor, filter: Pick<KpiFilter, "storeId">) => storeScope(actor, filter) ?? sql`true`;

// --- Delivery: production time, on-time delivery, satisfaction --------------------------------

/** The delivery figures' orders: completed, received in the period. */
export const receivedInPeriod = (f: Period) => sql`(${orders.state} = 'completed' and ${inPeriod(orders.receivedAt, f)})`;
/** Production time, submitted to received. date_part gives float8; extract() gives numeric, several times slower to sort and average. */
export const productionSeconds = sql`date_part('epoch', ${orders.receivedAt} - ${orders.submittedAt})`;
/** Received on or before the Required Delivery Date (a UTC day): the date itself is on time. */
export const onTime = sql`(${orders.receivedAt} at time zone 'UTC')::date <= ${orders.requiredDeliveryDate}`;

// --- Quality by reason (decision 029): of the orders received in the period ---------------------

/** An order's failed inspections, all of them (a lateral subquery over `orders`: `fails.n`). */
export const failsOfOrder = sql`lateral (select count(*)::int as n from ${inspections} f where f.order_id = ${orders.id} and f.result = 'fail') fails`;
/** Received `damaged` or `wrongSpecification`: a delivery problem (SPEC: when a delivery goes wrong). */
export const receivedBad = sql`(${orders.fields} ->> 'productCondition') in (${sql.join(
  deliveryProblems.map((c) => sql`${c}`),
  sql`, `,
)})`;
/** Failed inspections naming a reason, in the period (the Pareto and the order list's filter). */
export const failedForReasonInPeriod = (f: Period) => inPeriod(inspectionFailReasons.createdAt, f);

// --- Quality ----------------------------------------------------------------------------------

/**
 * Each order's first inspection, the earliest with ties broken by the lower id, among the
 * inspections `where` admits: rows of (order_id, at, result).
 */
export const firstInspections = (where: SQL) => sql`
  select distinct on (${inspections.orderId}) ${inspections.orderId} as order_id, ${inspections.createdAt} as at, ${inspections.result} as result
  from ${inspections}
  where ${where}
  order by ${inspections.orderId}, ${inspections.createdAt}, ${inspections.id}`;

/**
 * The quality figure's orders, as a condition on inspections: one in the period, of an order with
 * none before it. The first of these (`firstInspections`) is the order's first inspection, and
 * only the period's inspections are read, from the (created_at, …) index.
 */
// `offset 0` keeps the check a per-row probe of inspections_order_idx: left to itself the planner
// turns it into a hash anti-join over every earlier inspection, which grows with the whole
// history (at 1M orders: 256–290 ms for a week's 72k first inspections, against 87–123 ms).
export const firstInspectedInPeriod = (f: Period) =>
  sql`${inPeriod(inspections.createdAt, f)} and not exists (select 1 from inspections e where e.order_id = ${inspections.orderId} and e.created_at < ${periodStart(f)} offset 0)`;

// --- Stages -----------------------------------------------------------------------------------

/** Time spent in a stage entry; null while it is open. */
export const stageSeconds = sql`date_part('epoch', ${stageEntries.completedAt} - ${stageEntries.enteredAt})`;
