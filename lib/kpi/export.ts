import "server-only";
import { sql } from "drizzle-orm";
import { type Executor, rowsOf } from "@/db/client";
import { inspections, orders, stageEntries, stores } from "@/db/schema";
import { type Actor, formatOrderNumber, orderStateLabels, stages } from "@/lib/workflow";
import type { KpiFilter } from "./filters";
import {
  firstInspectedInPeriod,
  firstInspections,
  inPeriod,
  onTime,
  orderScope,
  productionSeconds,
  receivedInPeriod,
  stageSeconds,
} from "./sql";

/**
 * The orders behind the KPI figures as CSV: every order received in the period (production
 * time, on-time delivery, satisfaction) or first inspected in it (quality), in the same store
 * scope as the page, by the same definitions (./sql.ts). Streamed in id order, a batch at a
 * time, so a big export never sits in memory whole.
 */

/** Order ids per query: a few thousand rows, whatever the period. */
const ID_RANGE = 5000;

type ExportRow = {
  id: number;
  store: string;
  product: string;
  state: keyof typeof orderStateLabels;
  submitted_at: string | null;
  received_at: string | null;
  required_delivery_date: string | null;
  production_days: number | null;
  on_time: boolean | null;
  rating: number | null;
  first_at: string | null;
  first_result: "pass" | "fail" | null;
  fails: number;
  [hours: `h_${string}`]: number | null;
  in_delivery: boolean;
  in_quality: boolean;
};

const header = [
  "Order",
  "Store",
  "Product",
  "State",
  "Submitted (UTC)",
  "Received (UTC)",
  "Required delivery date",
  "Production days",
  "On time",
  "Customer rating",
  "First inspection (UTC)",
  "First inspection result",
  "Failed inspections",
  ...stages.map((s) => `${s.name} (hours)`),
  "In delivery figures",
  "In quality figure",
];

/** The ids between which the period's orders lie: received in it, or inspected in it. */
async function idBounds(db: Executor, filter: KpiFilter) {
  const [row] = rowsOf<{ lo: number | null; hi: number | null }>(
    await db.execute(sql`
      select least(r.lo, i.lo)::int as lo, greatest(r.hi, i.hi)::int as hi
      from (select min(${orders.id}) as lo, max(${orders.id}) as hi from ${orders}
            where ${receivedInPeriod(filter)}) r,
           (select min(${inspections.orderId}) as lo, max(${inspections.orderId}) as hi from ${inspections}
            where ${inPeriod(inspections.createdAt, filter)}) i`),
  );
  return row;
}

/** The orders with ids in [lo, hi] that are in a figure, each with its figures; set-based, no per-row subqueries. */
async function batch(db: Executor, actor: Actor, filter: KpiFilter, lo: number, hi: number) {
  const ofBatch = sql`${inspections.orderId} between ${lo} and ${hi}`;
  return rowsOf<ExportRow>(
    await db.execute(sql`
      with quality as (
        select distinct ${inspections.orderId} as order_id from ${inspections}
        where ${ofBatch} and ${firstInspectedInPeriod(filter)}
      ),
      cand as (
        select ${orders.id} as id from ${orders}
        where ${orders.id} between ${lo} and ${hi} and ${orderScope(actor, filter)}
          and (${receivedInPeriod(filter)} or ${orders.id} in (select order_id from quality))
      ),
      firsts as (${firstInspections(sql`${ofBatch} and ${inspections.orderId} in (select id from cand)`)}),
      fails as (
        select ${inspections.orderId} as order_id, count(*)::int as fails
        from ${inspections}
        where ${ofBatch} and ${inspections.orderId} in (select id from cand) and ${inspections.result} = 'fail'
        group by ${inspections.orderId}
      ),
      hours as (
        select ${stageEntries.orderId} as order_id, ${sql.join(
          stages.map((st) => sql`round((sum(${stageSeconds}) filter (where ${stageEntries.stage} = ${st.key}) / 3600)::numeric, 2)::float8 as ${sql.identifier(`h_${st.key}`)}`),
          sql`, `,
        )}
        from ${stageEntries}
        where ${stageEntries.orderId} between ${lo} and ${hi} and ${stageEntries.orderId} in (select id from cand)
          and ${stageEntries.completedAt} is not null
        group by ${stageEntries.orderId}
      )
      select ${orders.id} as id, ${stores.name} as store, ${orders.productSummary} as product, ${orders.state} as state,
        to_char(${orders.submittedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as submitted_at,
        to_char(${orders.receivedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as received_at,
        to_char(${orders.requiredDeliveryDate}, 'YYYY-MM-DD') as required_delivery_date,
        round((${productionSeconds} / 86400)::numeric, 2)::float8 as production_days,
        ${onTime} as on_time,
        ${orders.customerRating}::int as rating,
        to_char(firsts.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as first_at,
        firsts.result as first_result,
        coalesce(fails.fails, 0) as fails,
        ${sql.join(stages.map((st) => sql`hours.${sql.identifier(`h_${st.key}`)}`), sql`, `)},
        ${receivedInPeriod(filter)} as in_delivery,
        cand.id in (select order_id from quality) as in_quality
      from cand
      join ${orders} on ${orders.id} = cand.id
      join ${stores} on ${stores.id} = ${orders.storeId}
      left join firsts on firsts.order_id = cand.id
      left join fails on fails.order_id = cand.id
      left join hours on hours.order_id = cand.id
      order by ${orders.id}`),
  );
}

/** A CSV cell: quoted when needed, and never read as a formula by a spreadsheet. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "boolean" ? (value ? "yes" : "no") : String(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value === "string") text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const line = (cells: unknown[]) => `${cells.map(csvCell).join(",")}\r\n`;

function toLine(r: ExportRow) {
  return line([
    formatOrderNumber(r.id),
    r.store,
    r.product,
    orderStateLabels[r.state],
    r.submitted_at,
    r.received_at,
    r.required_delivery_date,
    r.production_days,
    r.received_at && r.required_delivery_date ? r.on_time : null,
    r.rating,
    r.first_at,
    r.first_result,
    r.fails,
    ...stages.map((s) => r[`h_${s.key}`]),
    r.in_delivery,
    r.in_quality,
  ]);
}

/**
 * The export, a batch of lines at a time: ids are walked in ranges between the first and last
 * order the period touches.
 */
export async function* kpiCsv(db: Executor, actor: Actor, filter: KpiFilter): AsyncGenerator<string> {
  yield line(header);
  const { lo, hi } = await idBounds(db, filter);
  if (lo === null || hi === null) return;
  for (let from = lo; from <= hi; from += ID_RANGE) {
    const rows = await batch(db, actor, filter, from, Math.min(hi, from + ID_RANGE - 1));
    if (rows.length) yield rows.map(toLine).join("");
  }
}

export const kpiCsvFilename = (filter: KpiFilter) => `makeline-kpi-${filter.from}-to-${filter.to}${filter.storeId ? `-store-${filter.storeId}` : ""}.csv`;
