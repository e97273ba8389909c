import "server-only";
import { type AnyColumn, type SQL, sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { type Executor, rowsOf } from "@/db/client";
import { inspections, orders, stageEntries, stores } from "@/db/schema";
import { type Actor, orderStateLabels, orderStates, stages } from "@/lib/workflow";
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
 * scope as the page, by the same definitions (./sql.ts). PostgreSQL writes the CSV itself
 * (`COPY … TO STDOUT`, about twice as fast as formatting rows here; decision 021): each cell is
 * made in SQL (labels, yes/no, a formula guard), and COPY quotes. On PGlite, COPY writes to a
 * blob (`/dev/blob`). Lines end with LF, as COPY writes them.
 */

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

const literal = (text: string) => sql.raw(`'${text.replace(/'/g, "''")}'`);
const yesNo = (value: SQL) => sql`case when ${value} then 'yes' when not ${value} then 'no' end`;
/** Text a spreadsheet would read as a formula starts with a quote instead; empty text is an empty cell. */
const guarded = (value: SQL) => sql`case when left(${value}, 1) in ('=', '+', '-', '@', chr(9), chr(13)) then '''' || ${value} else nullif(${value}, '') end`;

/** The export's rows as CSV cells, all text, made by PostgreSQL, each column named by its header. */
function csvQuery(actor: Actor, filter: KpiFilter): SQL {
  const e = (column: string) => sql.raw(`e.${column}`);
  const cells: SQL[] = [
    // formatOrderNumber: MO- and at least five digits.
    sql`'MO-' || case when e.id < 100000 then lpad(e.id::text, 5, '0') else e.id::text end`,
    guarded(e("store")),
    guarded(e("product")),
    sql`case e.state ${sql.join(orderStates.map((st) => sql`when ${literal(st)} then ${literal(orderStateLabels[st])}`), sql` `)} end`,
    e("submitted_at"),
    e("received_at"),
    e("required_delivery_date"),
    sql`e.production_days::text`,
    yesNo(sql`(case when e.received_at is not null and e.required_delivery_date is not null then e.on_time end)`),
    sql`e.rating::text`,
    e("first_at"),
    e("first_result"),
    sql`e.fails::text`,
    ...stages.map((st) => sql`e.${sql.identifier(`h_${st.key}`)}::text`),
    yesNo(e("in_delivery")),
    yesNo(e("in_quality")),
  ];
  return sql`select ${sql.join(
    cells.map((cell, i) => sql`${cell} as ${sql.identifier(header[i])}`),
    sql`, `,
  )} from (${exportQuery(actor, filter)}) e order by e.id`;
}

const dialect = new PgDialect({ casing: "snake_case" });

/**
 * COPY takes no parameters: the filter's values (dates and ids, never free text) are written
 * into the statement as literals, quoted by the same dialect that would have bound them.
 */
function copyStatement(actor: Actor, filter: KpiFilter, target: "STDOUT" | "'/dev/blob'"): string {
  const { sql: text } = dialect.sqlToQuery(csvQuery(actor, filter).inlineParams());
  return `copy (${text}) to ${target} with (format csv, header)`;
}

/** A postgres.js pool, as drizzle holds it: one connection can be reserved for the COPY. */
type PostgresQuery = Promise<unknown> & { readable: () => Promise<NodeJS.ReadableStream>; cancel: () => void };

/**
 * COPY's rows as they arrive. postgres.js pauses its socket when the stream's buffer is full and
 * resumes it only when the stream asks for more; when the last rows and the end of the COPY
 * arrive together past that mark, the stream ends without asking, and the statement's last
 * messages (and every later query on the connection) wait for ever. So the stream is read as
 * fast as it comes (every consumer here, a string or a file, is faster than PostgreSQL), and at
 * its end it asks once more, which resumes the socket.
 */
async function* flowing(stream: NodeJS.ReadableStream): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  const chunks: string[] = [];
  let ended = false;
  let failed: unknown;
  let wake: (() => void) | undefined;
  stream.on("data", (chunk: Buffer) => {
    chunks.push(decoder.decode(chunk, { stream: true }));
    wake?.();
  });
  stream.on("end", () => {
    ended = true;
    (stream as NodeJS.ReadableStream & { _read?: (size: number) => void })._read?.(0);
    wake?.();
  });
  stream.on("error", (error) => {
    failed = error;
    wake?.();
  });
  for (;;) {
    if (chunks.length) yield chunks.splice(0).join("");
    else if (failed) throw failed;
    else if (ended) return;
    else await new Promise<void>((resolve) => (wake = resolve));
  }
}
type PostgresPool = {
  reserve: () => Promise<{ unsafe: (query: string) => PostgresQuery; release: () => void }>;
};

/** Which way this executor runs COPY: postgres.js's pool, PGlite (the database or a transaction in it), or neither. */
function copyRoute(db: Executor): { kind: "postgres"; pool: PostgresPool } | { kind: "pglite" } | { kind: "rows" } {
  const client = (db as { $client?: Record<string, unknown> }).$client ?? (db as { session?: { client?: Record<string, unknown> } }).session?.client;
  if (client && typeof client.reserve === "function") return { kind: "postgres", pool: client as unknown as PostgresPool };
  if (client && typeof client.query === "function" && typeof client.unsafe !== "function") return { kind: "pglite" };
  return { kind: "rows" };
}

/** A cell as COPY's CSV writes it: quoted when it holds a comma, a quote or a line break (or is `\.`). */
export function copyCell(value: string | null): string {
  if (value === null) return "";
  return /[",\r\n]/.test(value) || value === "\\." ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The export's CSV, in chunks. On a PostgreSQL server: COPY on a connection reserved from the
 * pool, in a read-only transaction without JIT and with room to group the period's stage entries
 * in memory, released as soon as PostgreSQL has sent the last row. On PGlite: COPY into a blob.
 * Inside a transaction on a server (tests), where COPY cannot be reached, the same rows by
 * SELECT, written as COPY writes them.
 */
export async function* kpiCsv(db: Executor, actor: Actor, filter: KpiFilter): AsyncGenerator<string> {
  const route = copyRoute(db);
  if (route.kind === "pglite") {
    const result = (await db.execute(sql.raw(copyStatement(actor, filter, "'/dev/blob'")))) as unknown as { blob?: Blob };
    yield result.blob ? await result.blob.text() : `${header.join(",")}\n`;
    return;
  }
  if (route.kind === "rows") {
    yield* kpiCsvBySelect(db, actor, filter);
    return;
  }
  const connection = await route.pool.reserve();
  let query: PostgresQuery | undefined;
  let over: Promise<unknown> | undefined;
  let finished = false;
  try {
    await connection.unsafe("begin read only");
    // Compiling this plan would cost more than running it; the period's stage entries are grouped in memory.
    await connection.unsafe("set local jit = off");
    await connection.unsafe("set local work_mem = '64MB'");
    query = connection.unsafe(copyStatement(actor, filter, "STDOUT"));
    const stream = await query.readable();
    over = new Promise((resolve) => {
      stream.once("end", resolve);
      stream.once("error", resolve);
      stream.once("close", resolve);
    });
    yield* flowing(stream);
    finished = true;
    await connection.unsafe("commit");
  } finally {
    if (!finished) {
      // Stopped part-way: the server is told to stop, the COPY runs out, and the connection goes back clean.
      query?.cancel();
      await over;
      await connection.unsafe("rollback").catch(() => undefined);
    }
    connection.release();
  }
}

/**
 * The same CSV from the same query read by SELECT, each cell written as COPY writes it: where
 * COPY cannot be reached (a transaction on a server, in tests). Held to COPY's bytes by a test.
 */
export async function* kpiCsvBySelect(db: Executor, actor: Actor, filter: KpiFilter): AsyncGenerator<string> {
  yield `${header.map(copyCell).join(",")}\n`;
  const rows = rowsOf<Record<string, string | null>>(await db.execute(csvQuery(actor, filter)));
  for (let i = 0; i < rows.length; i += 2000) yield rows.slice(i, i + 2000).map((r) => `${header.map((h) => copyCell(r[h])).join(",")}\n`).join("");
}

/** How many orders the export holds: it decides whether the file is made at once or prepared in the background. */
export async function countKpiCsvRows(db: Executor, actor: Actor, filter: KpiFilter): Promise<number> {
  const scope = orderScope(actor, filter);
  const [{ n }] = rowsOf<{ n: number }>(
    await db.execute(sql`
      with quality as (select distinct ${inspections.orderId} as order_id from ${inspections} where ${firstInspectedInPeriod(filter)})
      select (select count(*) from ${orders} where ${receivedInPeriod(filter)} and ${scope})
        + (select count(*) from ${orders} where ${orders.id} in (select order_id from quality) and not ${receivedInPeriod(filter)} and ${scope}) as n`),
  );
  return Number(n);
}

/** The whole export in memory: for exports below the background bound. */
export async function kpiCsvText(db: Executor, actor: Actor, filter: KpiFilter): Promise<string> {
  let text = "";
  for await (const chunk of kpiCsv(db, actor, filter)) text += chunk;
  return text;
}

export const kpiCsvFilename = (filter: KpiFilter) => `makeline-kpi-${filter.from}-to-${filter.to}${filter.storeId ? `-store-${filter.storeId}` : ""}.csv`;
