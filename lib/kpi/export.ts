import "server-only";
import { randomBytes } from "node:crypto";
import { type AnyColumn, type SQL, sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { type Executor, rowsOf } from "@/db/client";
import { inspections, orders, stageEntries, stores } from "@/db/schema";
import { type Actor, formatOrderNumber, orderStateLabels, stages } from "@/lib/workflow";
import type { KpiFilter } from "./filters";
import {
  firstInspectedInPeriod,
  firstInspections,
  onTime,
  orderScope,
  productionSeconds,
  receivedInPeriod,
  stageSeconds,
} from "./sql";

/**
 * The orders behind the KPI figures as CSV: every order received in the period (production
 * time, on-time delivery, satisfaction) or first inspected in it (quality), in the same store
 * scope as the page, by the same definitions (./sql.ts). One query in id order, read through a
 * cursor a few thousand rows at a time, so a big export never sits in memory whole and its
 * joins and aggregates are computed once.
 */

/** Rows per fetch from the cursor. */
const FETCH_ROWS = 2000;

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

/**
 * The orders in a figure, each with its figures, in id order. The period's orders come from the
 * indexes on received_at and on inspections' created_at, with the columns the export needs.
 * Order ids follow time, so the period's orders lie in a narrow id range: their inspections and
 * stage entries are read in that range, in id order, and merged with them as they come.
 */
function exportQuery(actor: Actor, filter: KpiFilter) {
  const scope = orderScope(actor, filter);
  const columns = sql`${orders.id} as id, ${orders.storeId} as store_id, ${orders.productSummary} as product, ${orders.state} as state,
    ${orders.submittedAt} as submitted_at, ${orders.receivedAt} as received_at, ${orders.requiredDeliveryDate} as required_delivery_date,
    ${orders.customerRating} as rating, ${productionSeconds} as production_seconds, ${onTime} as on_time, ${receivedInPeriod(filter)} as in_delivery`;
  const inRange = (column: SQL | AnyColumn) => sql`${column} between (select lo from bounds) and (select hi from bounds)`;
  return sql`
      with quality as (
        select distinct ${inspections.orderId} as order_id from ${inspections}
        where ${firstInspectedInPeriod(filter)}
      ),
      received as materialized (select ${columns} from ${orders} where ${receivedInPeriod(filter)} and ${scope}),
      -- Orders first inspected in the period but not received in it: few, looked up by id.
      cand as (
        select * from received
        union all
        select ${columns} from ${orders}
        where ${orders.id} = any(array(select order_id from quality except select id from received)) and ${scope}
      ),
      bounds as (select min(id) as lo, max(id) as hi from cand),
      firsts as (${firstInspections(inRange(inspections.orderId))}),
      fails as (
        select ${inspections.orderId} as order_id, count(*)::int as fails
        from ${inspections}
        where ${inRange(inspections.orderId)} and ${inspections.result} = 'fail'
        group by ${inspections.orderId}
      ),
      hours as (
        select ${stageEntries.orderId} as order_id, ${sql.join(
          stages.map((st) => sql`round((sum(${stageSeconds}) filter (where ${stageEntries.stage} = ${st.key}) / 3600)::numeric, 2)::float8 as ${sql.identifier(`h_${st.key}`)}`),
          sql`, `,
        )}
        from ${stageEntries}
        where ${inRange(stageEntries.orderId)} and ${stageEntries.completedAt} is not null
        group by ${stageEntries.orderId}
      )
      select cand.id, ${stores.name} as store, cand.product, cand.state,
        to_char(cand.submitted_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as submitted_at,
        to_char(cand.received_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as received_at,
        to_char(cand.required_delivery_date, 'YYYY-MM-DD') as required_delivery_date,
        round((cand.production_seconds / 86400)::numeric, 2)::float8 as production_days,
        cand.on_time,
        cand.rating::int as rating,
        to_char(firsts.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as first_at,
        firsts.result as first_result,
        coalesce(fails.fails, 0) as fails,
        ${sql.join(stages.map((st) => sql`hours.${sql.identifier(`h_${st.key}`)}`), sql`, `)},
        cand.in_delivery,
        cand.id in (select order_id from quality) as in_quality
      from cand
      join ${stores} on ${stores.id} = cand.store_id
      left join firsts on firsts.order_id = cand.id
      left join fails on fails.order_id = cand.id
      left join hours on hours.order_id = cand.id
      order by cand.id`;
}

/** A postgres.js pool, as drizzle holds it: one connection can be reserved for the cursor. */
type PostgresPool = {
  reserve: () => Promise<{ unsafe: (query: string, params?: unknown[]) => Promise<unknown>; release: () => void }>;
};
const dialect = new PgDialect({ casing: "snake_case" });

/**
 * The query's rows, `FETCH_ROWS` at a time, through a cursor on one session. On a server, in a
 * transaction on a connection reserved from the pool, without JIT (compiling this plan would
 * cost more than running it): the rows are computed as they are fetched. Otherwise (PGlite's
 * single session, shared with the app's other requests, or a transaction given by the caller)
 * a cursor WITH HOLD, declared outside any transaction of ours: the result is computed once
 * when it is declared, and each FETCH reads the next rows.
 */
async function* cursorRows(db: Executor, query: SQL): AsyncGenerator<ExportRow[]> {
  const name = sql.identifier(`kpi_csv_${randomBytes(8).toString("hex")}`);
  const pool = (db as { $client?: Partial<PostgresPool> }).$client;
  let run: (statement: SQL) => Promise<ExportRow[]>;
  let end: (ok: boolean) => Promise<void>;
  if (typeof pool?.reserve === "function") {
    const connection = await (pool as PostgresPool).reserve();
    run = async (statement) => {
      const { sql: text, params } = dialect.sqlToQuery(statement);
      return rowsOf<ExportRow>(await connection.unsafe(text, params));
    };
    end = async (ok) => {
      try {
        await connection.unsafe(ok ? "commit" : "rollback");
      } finally {
        connection.release();
      }
    };
    try {
      await run(sql`begin read only`);
      // Planned for every row, not the first tenth, and without JIT (compiling would cost more than running).
      await run(sql`set local cursor_tuple_fraction = 1`);
      await run(sql`set local jit = off`);
      // The period's stage entries are grouped in memory, not spilled to disk.
      await run(sql`set local work_mem = '64MB'`);
      await run(sql`declare ${name} no scroll cursor for ${query}`);
    } catch (error) {
      await end(false);
      throw error;
    }
  } else {
    run = async (statement) => rowsOf<ExportRow>(await db.execute(statement));
    end = async () => void (await db.execute(sql`close ${name}`));
    await run(sql`declare ${name} no scroll cursor with hold for ${query}`);
  }
  const fetch = () => run(sql`fetch forward ${sql.raw(String(FETCH_ROWS))} from ${name}`);
  let ok = false;
  let next: Promise<ExportRow[]> | undefined = fetch();
  try {
    for (;;) {
      const rows: ExportRow[] = await next;
      // The next rows are computed while the caller turns these into lines.
      next = rows.length === FETCH_ROWS ? fetch() : undefined;
      if (rows.length) yield rows;
      if (!next) break;
    }
    ok = true;
  } finally {
    await next?.catch(() => undefined);
    await end(ok);
  }
}

/** A CSV cell: quoted when needed, and never read as a formula by a spreadsheet. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "boolean") return value ? "yes" : "no";
  // Most cells are numbers: their text needs no quotes, and only strings are guarded against formulas.
  if (typeof value === "number") return String(value);
  let text = String(value);
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

/** The export, a few thousand lines at a time. */
export async function* kpiCsv(db: Executor, actor: Actor, filter: KpiFilter): AsyncGenerator<string> {
  yield line(header);
  for await (const rows of cursorRows(db, exportQuery(actor, filter))) yield rows.map(toLine).join("");
}

export const kpiCsvFilename = (filter: KpiFilter) => `makeline-kpi-${filter.from}-to-${filter.to}${filter.storeId ? `-store-${filter.storeId}` : ""}.csv`;
