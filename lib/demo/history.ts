import { inArray, sql } from "drizzle-orm";
import { type Db, rowsOf } from "@/db/client";
import { accounts, orders, stores } from "@/db/schema";
import { rebuildKpiRollups } from "@/lib/kpi/rollups";
import { rebuildOrderCounts } from "@/lib/orders/counts";
import { rebuildCapacityLoad } from "@/lib/planning/load";
import type { StageKey } from "@/lib/workflow";
import { allTodoKeys, stage as stageDef, stageKeys, stageMarked } from "@/lib/workflow";

/**
 * A history of completed orders for the KPI page and the benchmark, made by the database itself:
 * each chunk of orders is planned by one `select … from generate_series` into a temporary table,
 * and orders, stage_entries, inspections and order_history are filled from it by one
 * `insert … select` each. Nothing crosses the wire per row, so a million orders take minutes.
 * The commands are not used on purpose: these orders are the past, not something a user does.
 *
 * Most stages finish within target, some are late; a few first inspections fail and are
 * reworked; some deliveries miss their date; most ratings are 4 or 5. Lateness eases over the
 * weeks, so the trend tells a story. Each draw is a hash of (seed, draw, order position), not
 * the next value of a running generator, so a chunk is planned on its own and the same seed
 * and `now` give the same history.
 */

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export type HistoryOptions = {
  count: number;
  /** The history ends just before `now`, spread over `weeks` weeks. */
  now?: Date;
  weeks?: number;
  seed?: number;
  /** Orders per transaction; `progress` is called after each. */
  batchSize?: number;
  /** Transactions at a time, each on its own connection (a server's pool). */
  connections?: number;
  progress?: (done: number, total: number) => void;
  /** Told when the inserts are done and the tables are vacuumed and the rollups rebuilt. */
  step?: (what: string) => void;
  /** false inside a transaction (VACUUM cannot run there): analyze only, the caller vacuums after. */
  vacuum?: boolean;
};

export const HISTORY_TABLES = ["orders", "stage_entries", "inspections", "inspection_fail_reasons", "order_history"];

const products: [string, number, number][] = [
  ["Oak display shelf, 120 x 40 cm, matte finish, store logo engraved", 2, 8],
  ["Branded acrylic menu stands, A5, frosted edge", 10, 40],
  ["Backlit window sign, 2 x 0.6 m, warm white LEDs", 1, 2],
  ["Display podiums in three heights, white lacquer", 3, 9],
  ["Branded tote bags, natural cotton, two-colour print", 200, 1000],
  ["Pine shelving units, 5 tiers, 90 cm wide", 2, 6],
  ["Glass counter display case with lock, 150 cm", 1, 2],
  ["Engraved brass name plates for staff", 10, 60],
  ["Outdoor bench with store logo, recycled plastic, 1.8 m", 1, 4],
  ["Fitting-room mirrors, full length, oak frame", 2, 8],
  ["Gift boxes, kraft card, foil logo, 3 sizes", 100, 600],
  ["Pegboard wall panels with hooks, 60 x 120 cm", 4, 20],
  ["Printed floor graphics, anti-slip laminate", 5, 30],
  ["Walnut cash desk, 160 cm, cable tray", 1, 1],
];

/** Hours in each stage: late with probability `late` × the order's lateness, each uniform in its range. */
const stageHours: Record<StageKey, { late: number; lateHours: [number, number]; hours: [number, number] }> = {
  storeOrder: { late: 0.06, lateHours: [4.2, 14], hours: [0.3, 3.8] },
  dispatchReceiving: { late: 0.05, lateHours: [2.1, 6], hours: [0.2, 1.9] },
  inProduction: { late: 0.13, lateHours: [121, 190], hours: [64, 118] },
  dispatching: { late: 0.05, lateHours: [24.5, 60], hours: [3, 23.5] },
  storeReceived: { late: 0.06, lateHours: [2.1, 9], hours: [0.2, 1.9] },
};

const shipmentMethods = ["courier", "freight", "ownFleet", "storePickup"];
const failNotes = ["Dimensions out of tolerance; rework", "Finish still uneven after rework"];

type Actors = { store: Map<number, number | null>; dispatch: number | null; production: number | null; qc: number | null };

async function loadActors(db: Db, storeRows: { id: number; code: string }[]): Promise<Actors> {
  const emails = ["dispatch@example.com", "production@example.com", "qc@example.com", ...storeRows.map((s) => `store.${s.code}@example.com`)];
  const rows = await db.select({ id: accounts.id, email: accounts.email }).from(accounts).where(inArray(accounts.email, emails));
  const id = (email: string) => rows.find((r) => r.email === email)?.id ?? null;
  return {
    store: new Map(storeRows.map((s) => [s.id, id(`store.${s.code}@example.com`)])),
    dispatch: id("dispatch@example.com"),
    production: id("production@example.com"),
    qc: id("qc@example.com"),
  };
}

// The statements are written from this file's constants and integers only (quoted by `lit`), as
// literals: no parameters, and nothing from a user.
const lit = (v: string | number | null) => (v === null ? "null" : typeof v === "number" ? String(v) : `'${v.replace(/'/g, "''")}'`);
const array = (xs: (string | number | null)[], type: string) => `array[${xs.map(lit).join(", ")}]::${type}[]`;
/** Epoch milliseconds as timestamptz, as an ISO day and as an ISO time (UTC), the way the app writes them. */
const ts = (ms: string) => `to_timestamp((${ms}) / 1000.0)`;
const isoDay = (ms: string) => `to_char(${ts(ms)} at time zone 'UTC', 'YYYY-MM-DD')`;
const isoTime = (ms: string) => `to_char(${ts(ms)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Random draws per order: uniform in [0, 1), each a hash of (seed, draw, position). */
const DRAWS = 26;

type Plan = { firstId: number; from: number; to: number; count: number; seed: number; first: number; span: number; storeIds: number[]; storeActors: (number | null)[] };

/**
 * Orders at positions [from, to) of the `count` in the history, one row each, into the temporary
 * table history_plan: id (`firstId` + position), store and its manager,
 * e[1..5] when each stage was entered and e[6] when the order was received (epoch ms; e[1] is
 * its creation, e[2] its submission), failed inspections before the last (passing) one at
 * last_pass, delivery date, rating, product, quantity, shipment and condition.
 */
function planSql(p: Plan) {
  // Draw k of an order, k < DRAWS; each use below has its own k.
  const u = (k: number) => `u[${k + 1}]`;
  const uniform = (k: number, [a, b]: [number, number]) => `(${a} + ${b - a} * ${u(k)})`;
  const production = stageKeys.indexOf("inProduction");
  // Each rework adds to the time in production.
  const hours = stageKeys.map((key, s) => {
    const h = stageHours[key];
    const rework = s === production ? ` + fails * ${uniform(14, [10, 40])}` : "";
    return `case when ${u(2 + 2 * s)} < ${h.late} * lateness then ${uniform(3 + 2 * s, h.lateHours)} else ${uniform(3 + 2 * s, h.hours)} end${rework}`;
  });
  // Stage starts: back from received by the hours of the stages still to come.
  const starts = stageKeys.map((_, s) => `round(received - ${HOUR} * (${stageKeys.slice(s).map((__, j) => `h[${s + j + 1}]`).join(" + ")}))::bigint`);
  const slack = `case when ${u(16)} < 0.1 then 4 + floor(${u(17)} * 2) else 6 + floor(${u(17)} * 6) end`;
  const baseRating = `case when ${u(18)} < 0.7 then 5 when ${u(18)} < 0.94 then 4 when ${u(18)} < 0.98 then 3 when ${u(18)} < 0.995 then 2 else 1 end`;
  const receivedDay = `(${ts("received")} at time zone 'UTC')::date`;
  const requiredDate = `(${ts(`e[1] + ${DAY} * ${slack}`)} at time zone 'UTC')::date`;
  const product = `1 + floor(${u(22)} * ${products.length})::int`;
  // One step per CTE, each materialized: a step's value is computed once per order, not once
  // for every later use of it.
  return `
    create temp table history_plan on commit drop as
    with draws as materialized (
      select i, array[${Array.from({ length: DRAWS }, (_, k) => `(hashint8extended(i, ${p.seed * 64 + k}) & 4294967295)::float8 / 4294967296`).join(", ")}] as u
      from generate_series(${p.from}::bigint, ${p.to - 1}::bigint) i
    ),
    -- Spread evenly in time, oldest first; lateness eases over the weeks and the second store runs behind.
    placed as materialized (
      select i, u, round(${p.first} + position * ${p.span - HOUR})::bigint as received, store,
        (1.35 - 0.7 * position) * case when store = 2 then 1.25 else 1 end as lateness
      from (select i, u, (i + ${u(0)}) / ${p.count} as position,
        case when ${u(1)} < 0.55 then 1 else ${Math.min(2, p.storeIds.length)} end as store from draws offset 0) x
    ),
    failed as materialized (
      select *, case when ${u(12)} < 0.035 * lateness then case when ${u(13)} < 0.15 then 2 else 1 end else 0 end as fails from placed
    ),
    timed as materialized (select *, array[${hours.join(",\n        ")}] as h from failed),
    staged as materialized (select *, array[${starts.join(", ")}, received] as e from timed),
    dated as materialized (select *, ${requiredDate} as required_date, ${product} as product from staged)
    select i, (${p.firstId} + i)::int as id,
      (${array(p.storeIds, "int")})[store] as store_id, (${array(p.storeActors, "int")})[store] as store_actor,
      fails, e, e[${production + 2}] - ${uniform(15, [0.5 * HOUR, 6 * HOUR])} as last_pass, required_date,
      -- Most ratings are 4 or 5, a late delivery or a rework lowers some.
      case when ${u(19)} < 0.12 then null
        else greatest(1, ${baseRating} - (${receivedDay} > required_date and ${u(20)} < 0.6)::int - (fails > 0 and ${u(21)} < 0.3)::int)
      end as rating,
      product, round((${array(products.map((x) => x[1]), "int")})[product]
        + ((${array(products.map((x) => x[2] - x[1]), "int")})[product]) * ${u(23)})::int as quantity,
      (${array(shipmentMethods, "text")})[1 + floor(${u(24)} * ${shipmentMethods.length})::int] as shipment,
      case when ${u(25)} < 0.95 then 'good' else 'minorDamage' end as condition
    from dated`;
}

/**
 * Fills the tables from history_plan, in the shape the commands would have left. There is no
 * ORDER BY (a sort of each chunk's rows would spill to disk): the rows go in as the plan reads
 * them, history_plan in id order (a temporary table is read by one process, in the order it was
 * written) and each order's rows in the order listed here, so ids follow order ids and, within an
 * order, stages and versions. tests/seed-history.test.ts checks it.
 */
function insertSql(actors: Actors) {
  const by = (key: StageKey) => {
    const owner = stageDef(key).owner;
    return owner === "storeManager" ? "p.store_actor" : lit(owner === "dispatchTeam" ? actors.dispatch : actors.production);
  };
  const spec = `(${array(products.map((x) => x[0]), "text")})[p.product]`;
  const last = stageKeys.length;
  const production = stageKeys.indexOf("inProduction");
  // p.e[s + 1] is when stage s (from 0) was entered, p.e[s + 2] when it was completed; the
  // submitted and received marks are the completions of the stages the definition marks.
  const completedAt = (mark: "submitted" | "received") => stageKeys.indexOf(stageMarked(mark)) + 2;
  // Inspection n (from 0): the failed ones part-way through production, then the passing one.
  const inspectionAt = `case when n < p.fails then round(p.e[${production + 1}] + (p.last_pass - p.e[${production + 1}]) * (0.45 + 0.2 * n)) else round(p.last_pass) end`;
  const inspectionNotes = `case when n < p.fails then (${array(failNotes, "text")})[n + 1] else '' end`;
  const inspectionResult = `case when n < p.fails then 'fail' else 'pass' end`;
  const rating = `case when p.rating is null then '{}'::jsonb else jsonb_build_object('customerFeedback', jsonb_build_object('rating', p.rating, 'comment', '')) end`;
  const fields = `jsonb_build_object(
      'productSpecifications', ${spec}, 'orderQuantity', p.quantity, 'requiredDeliveryDate', to_char(p.required_date, 'YYYY-MM-DD'),
      'orderFeasibility', jsonb_build_object('decision', 'feasible', 'reason', ''),
      'productionSchedule', jsonb_build_object('start', ${isoDay(`p.e[${production + 1}]`)}, 'end', ${isoDay(`p.e[${production + 1}] + ${4 * DAY}`)}, 'confirmed', false),
      'specialRequirements', '', 'productionStatus', 'completed', 'completionPercentage', 100,
      'qualityCheckResults', jsonb_build_object('result', 'pass', 'notes', ''),
      'shipmentMethod', p.shipment, 'trackingNumber', 'TRK-H' || upper(to_hex(p.e[1])),
      'estimatedDeliveryTime', ${isoTime(`p.e[${last}] + ${12 * HOUR}`)},
      'receiptConfirmation', jsonb_build_object('confirmedBy', 'Front desk'), 'productCondition', p.condition) || ${rating}`;
  const stageRows = stageKeys.map(
    (key, s) => `(${lit(key)}, p.e[${s + 1}], p.e[${s + 2}], ${stageDef(key).target.dueAfterMs}, ${by(key)}::int)`,
  );
  // The events in time order, numbered as the order's versions: created, each stage completed,
  // and the inspections while in production.
  const version = (s: number) => (s < production ? `${s + 2}` : `${s + 3} + p.fails`);
  const events = [
    `select p.store_actor, p.e[1], 1, 'created', ${lit(stageKeys[0])}, null, null::jsonb,
      jsonb_build_object('productSpecifications', ${spec}, 'orderQuantity', p.quantity, 'requiredDeliveryDate', to_char(p.required_date, 'YYYY-MM-DD'))`,
    ...stageKeys.flatMap((key, s) => [
      ...(s === production
        ? [`select ${lit(actors.qc)}::int, ${inspectionAt}, ${production + 2} + n, 'inspectionRecorded', ${lit(key)}, 'qualityCheckResults', null,
            jsonb_build_object('result', ${inspectionResult}, 'notes', ${inspectionNotes}) from generate_series(0, p.fails) n`]
        : []),
      s + 1 < last
        ? `select ${by(key)}::int, p.e[${s + 2}], ${version(s)}, 'stageCompleted', ${lit(key)}, null, to_jsonb(${lit(key)}::text),
            jsonb_build_object('stage', ${lit(stageKeys[s + 1])})`
        : `select ${by(key)}::int, p.e[${s + 2}], ${version(s)}, 'completed', ${lit(key)}, null, null, null`,
    ]),
  ];
  return [
    `insert into orders (id, store_id, stage, state, stage_entered_at, stage_due_at, version, fields, done_todos, product_summary,
      required_delivery_date, created_by, created_at, submitted_at, received_at, customer_rating, updated_at)
    overriding system value
    select p.id, p.store_id, ${lit(stageKeys[last - 1])}, 'completed', ${ts(`p.e[${last}]`)}, ${ts(`p.e[${last}] + ${stageDef(stageKeys[last - 1]).target.dueAfterMs}`)},
      ${version(last - 1)}, ${fields}, ${array(allTodoKeys, "text")}, ${spec}, p.required_date, p.store_actor,
      ${ts("p.e[1]")}, ${ts(`p.e[${completedAt("submitted")}]`)}, ${ts(`p.e[${completedAt("received")}]`)}, p.rating, ${ts(`p.e[${last + 1}]`)}
    from history_plan p`,
    `insert into stage_entries (order_id, stage, entered_at, due_at, completed_at, completed_by)
    select p.id, s.stage, ${ts("s.entered")}, ${ts("s.entered + s.due")}, ${ts("s.completed")}, s.by
    from history_plan p cross join lateral (values ${stageRows.join(", ")}) s(stage, entered, completed, due, by)`,
    `insert into inspections (order_id, result, notes, inspector_id, created_at)
    select p.id, ${inspectionResult}, ${inspectionNotes}, ${lit(actors.qc)}::int, ${ts(inspectionAt)}
    from history_plan p cross join lateral generate_series(0, p.fails) n`,
    // Each failed inspection names one reason, by position in the list, most often the finish
    // and the dimensions, so the KPI page's Pareto has a shape (decision 029).
    `insert into inspection_fail_reasons (inspection_id, reason_id, order_id, created_at, note)
    select i.id, r.id, i.order_id, i.created_at, case when r.needs_note then i.notes end
    from inspections i
    cross join lateral (select id, needs_note from fail_reasons where archived_at is null order by position, id
      offset (array[1, 1, 1, 1, 0, 0, 0, 2, 3, 4, 1, 5])[1 + (i.id % 12 * 7919) % 12] limit 1) r
    where i.result = 'fail' and i.order_id in (select id from history_plan)`,
    `insert into order_history (order_id, actor_id, at, version, kind, stage, subject, before, after)
    select p.id, ev.actor, ${ts("ev.at")}, ev.version, ev.kind, ev.stage, ev.subject, ev.before, ev.after
    from history_plan p cross join lateral (${events.join("\n      union all ")}) ev(actor, at, version, kind, stage, subject, before, after)`,
  ];
}

async function insertChunk(db: Db, plan: Plan, inserts: string[], unchecked: boolean) {
  await db.transaction(async (tx) => {
    // The rows are consistent by construction: each names an order of the same transaction and
    // accounts read above. Like pg_restore --disable-triggers, a superuser skips the foreign-key
    // checks, row by row the larger part of the cost; anyone else has the rows checked.
    if (unchecked) await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(sql.raw(planSql(plan)));
    for (const statement of inserts) await tx.execute(sql.raw(statement));
  });
}

/** Takes `count` order ids in one range, so chunks can be written in any order and ids still follow time. */
async function reserveIds(db: Db, count: number) {
  return db.transaction(async (tx) => {
    await tx.execute(sql`lock table ${orders} in exclusive mode`);
    const [{ first }] = rowsOf<{ first: number }>(await tx.execute(sql`select nextval(pg_get_serial_sequence('orders', 'id'))::int as first`));
    await tx.execute(sql`select setval(pg_get_serial_sequence('orders', 'id'), ${first + count - 1})`);
    return Number(first);
  });
}

/**
 * Inserts `count` completed orders received over the last `weeks` weeks, oldest first (so order
 * numbers follow time), `batchSize` to a transaction, `connections` transactions at a time (more
 * than one only on a server: PGlite runs one statement at a time). The same seed and `now` give
 * the same history. Then the tables are analyzed and vacuumed and the KPI rollups rebuilt.
 */
export async function seedHistory(db: Db, options: HistoryOptions) {
  const { count, now = new Date(), weeks = 12, seed = 20240601, batchSize = 50_000, connections = 1, progress, step } = options;
  if (count <= 0) return 0;
  if (!Number.isInteger(connections) || connections < 1) throw new Error("connections is a whole number from 1");
  if (!Number.isSafeInteger(seed) || seed < 0 || seed >= 2 ** 40) throw new Error("The history seed is a whole number from 0 to 2^40");
  const storeRows = await db.select({ id: stores.id, code: stores.code }).from(stores).orderBy(stores.id);
  if (!storeRows.length) throw new Error("Seed the stores before the order history");
  const actors = await loadActors(db, storeRows);
  const [{ superuser }] = rowsOf<{ superuser: boolean }>(await db.execute(sql`select current_setting('is_superuser') = 'on' as superuser`));
  const span = weeks * 7 * DAY;
  const base = {
    firstId: await reserveIds(db, count),
    count,
    seed,
    first: now.getTime() - span,
    span,
    storeIds: storeRows.map((s) => s.id),
    storeActors: storeRows.map((s) => actors.store.get(s.id) ?? null),
  };
  const inserts = insertSql(actors);
  let next = 0;
  let done = 0;
  progress?.(0, count);
  const worker = async () => {
    while (next < count) {
      const from = next;
      const to = Math.min(count, from + batchSize);
      next = to;
      await insertChunk(db, { ...base, from, to }, inserts, superuser);
      done += to - from;
      progress?.(done, count);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  // Visibility for the planner: the KPI and queue queries read covering indexes, which only
  // skip the table once the rows are vacuumed (PGlite has no autovacuum). Then the rollups the
  // KPI page reads and the order counters, as these orders bypassed the commands that keep them;
  // on a server, while the tables are vacuumed, after fresh statistics for the rebuild's plan.
  step?.("vacuum, KPI rollups and order counters");
  const tables = HISTORY_TABLES;
  const rebuild = () =>
    db.transaction(async (tx) => {
      await rebuildKpiRollups(tx);
      await rebuildCapacityLoad(tx);
      await rebuildOrderCounts(tx);
    });
  if (options.vacuum === false) {
    await db.execute(sql.raw(`analyze ${tables.join(", ")}`));
    await rebuild();
  } else if (connections > 1) {
    await db.execute(sql.raw(`analyze ${tables.join(", ")}`));
    await Promise.all([...tables.map((table) => db.execute(sql.raw(`vacuum ${table}`))), rebuild()]);
  } else {
    await db.execute(sql.raw(`vacuum (analyze) ${tables.join(", ")}`));
    await rebuild();
  }
  return count;
}
