import { sql } from "drizzle-orm";
import { type Executor, rowsOf } from "@/db/client";
import { scopeCondition } from "@/db/queries/orders";
import { inspections, orders, stageEntries, stores } from "@/db/schema";
import { type Actor, formatOrderNumber, orderStateLabels, stages } from "@/lib/workflow";
import type { KpiFilter } from "./filters";

/**
 * The orders behind the KPI figures as CSV: every order received in the period (production
 * time, on-time delivery, satisfaction) or first inspected in it (quality), in the same store
 * scope as the page. Streamed in id order, a batch at a time, so a big export never sits in
 * memory whole.
 */

const BATCH = 2000;

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
  stage_hours: Record<string, number> | null;
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

async function batch(db: Executor, actor: Actor, filter: KpiFilter, after: number) {
  const start = sql`${filter.start.toISOString()}::timestamptz`;
  const end = sql`${filter.end.toISOString()}::timestamptz`;
  const received = sql`(${orders.state} = 'completed' and ${orders.receivedAt} >= ${start} and ${orders.receivedAt} < ${end})`;
  const scope = scopeCondition(actor) ?? sql`true`;
  const store = filter.storeId ? sql`${orders.storeId} = ${filter.storeId}` : sql`true`;
  return rowsOf<ExportRow>(
    await db.execute(sql`
      select ${orders.id} as id, ${stores.name} as store, ${orders.productSummary} as product, ${orders.state} as state,
        to_char(${orders.submittedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as submitted_at,
        to_char(${orders.receivedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as received_at,
        to_char(${orders.requiredDeliveryDate}, 'YYYY-MM-DD') as required_delivery_date,
        round((date_part('epoch', ${orders.receivedAt} - ${orders.submittedAt}) / 86400)::numeric, 2)::float8 as production_days,
        (${orders.receivedAt} at time zone 'UTC')::date <= ${orders.requiredDeliveryDate} as on_time,
        ${orders.customerRating}::int as rating,
        to_char(fi.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as first_at,
        fi.result as first_result,
        (select count(*) from ${inspections} where ${inspections.orderId} = ${orders.id} and ${inspections.result} = 'fail')::int as fails,
        (select jsonb_object_agg(stage, hours) from (
          select ${stageEntries.stage} as stage, round((sum(date_part('epoch', ${stageEntries.completedAt} - ${stageEntries.enteredAt})) / 3600)::numeric, 2) as hours
          from ${stageEntries} where ${stageEntries.orderId} = ${orders.id} and ${stageEntries.completedAt} is not null
          group by ${stageEntries.stage}) h) as stage_hours,
        ${received} as in_delivery,
        coalesce(fi.at >= ${start} and fi.at < ${end}, false) as in_quality
      from ${orders}
      join ${stores} on ${stores.id} = ${orders.storeId}
      left join lateral (
        select i.created_at as at, i.result from inspections i where i.order_id = ${orders.id} order by i.created_at, i.id limit 1
      ) fi on true
      where ${orders.id} > ${after} and ${scope} and ${store}
        and (${received} or (
          ${orders.id} in (select p.order_id from inspections p where p.created_at >= ${start} and p.created_at < ${end})
          and fi.at >= ${start} and fi.at < ${end}))
      order by ${orders.id}
      limit ${BATCH}`),
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
    ...stages.map((s) => r.stage_hours?.[s.key] ?? null),
    r.in_delivery,
    r.in_quality,
  ]);
}

/** The export, a batch of lines at a time. */
export async function* kpiCsv(db: Executor, actor: Actor, filter: KpiFilter): AsyncGenerator<string> {
  yield line(header);
  let after = 0;
  for (;;) {
    const rows = await batch(db, actor, filter, after);
    if (rows.length) yield rows.map(toLine).join("");
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1].id;
  }
}

export const kpiCsvFilename = (filter: KpiFilter) => `makeline-kpi-${filter.from}-to-${filter.to}${filter.storeId ? `-store-${filter.storeId}` : ""}.csv`;
