import { inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { accounts, stores } from "@/db/schema";
import { rebuildKpiRollups } from "@/lib/kpi/rollups";
import type { StageKey } from "@/lib/workflow";
import { allTodoKeys, stage as stageDef, stageKeys } from "@/lib/workflow";

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
  progress?: (done: number, total: number) => void;
};

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

type Plan = { from: number; to: number; count: number; seed: number; first: number; span: number; storeIds: number[]; storeActors: (number | null)[] };

/**
 * Orders at positions [from, to) of the `count` in the history, one row each, into the temporary
 * table history_plan: id (from the orders' sequence, in position order), store and its manager,
 * e[1..5] when each stage was entered and e[6] when the order was received (epoch ms; e[1] is
 * its creation, e[2] its submission), failed inspections before the last (passing) one at
 * last_pass, delivery date, rating, product, quantity, shipment and condition.
 */
function planSql(p: Plan) {
  const u = (k: number) => `((hashint8extended(i, ${p.seed * 64 + k}) & 4294967295)::float8 / 4294967296)`;
  const uniform = (k: number, [a, b]: [number, number]) => `(${a} + ${b - a} * ${u(k)})`;
  const hours = stageKeys.map((key, s) => {
    const h = stageHours[key];
    return `case when ${u(2 + 2 * s)} < ${h.late} * r.lateness then ${uniform(3 + 2 * s, h.lateHours)} else ${uniform(3 + 2 * s, h.hours)} end`;
  });
  const production = stageKeys.indexOf("inProduction") + 1;
  // Stage starts: from received back by the sum of the hours, then forward one stage at a time.
  const starts = stageKeys.map((_, s) => `round(r.received - ${HOUR} * (${stageKeys.slice(s).map((__, j) => `w.h[${s + j + 1}]`).join(" + ")}))::bigint`);
  const slack = `case when ${u(16)} < 0.1 then 4 + floor(${u(17)} * 2) else 6 + floor(${u(17)} * 6) end`;
  const baseRating = `case when ${u(18)} < 0.7 then 5 when ${u(18)} < 0.94 then 4 when ${u(18)} < 0.98 then 3 when ${u(18)} < 0.995 then 2 else 1 end`;
  return `
    create temp table history_plan on commit drop as
    select i, nextval(pg_get_serial_sequence('orders', 'id'))::int as id,
      (${array(p.storeIds, "int")})[x.store] as store_id, (${array(p.storeActors, "int")})[x.store] as store_actor,
      f.fails, e.e, e.e[${production + 1}] - ${uniform(15, [0.5 * HOUR, 6 * HOUR])} as last_pass, d.required_date,
      case when ${u(19)} < 0.12 then null
        else greatest(1, ${baseRating} - (d.received_day > d.required_date and ${u(20)} < 0.6)::int - (f.fails > 0 and ${u(21)} < 0.3)::int)
      end as rating,
      d.product, round((${array(products.map((x) => x[1]), "int")})[d.product]
        + ((${array(products.map((x) => x[2] - x[1]), "int")})[d.product]) * ${u(23)})::int as quantity,
      (${array(shipmentMethods, "text")})[1 + floor(${u(24)} * ${shipmentMethods.length})::int] as shipment,
      case when ${u(25)} < 0.95 then 'good' else 'minorDamage' end as condition
    from generate_series(${p.from}::bigint, ${p.to - 1}::bigint) i
    -- Spread evenly in time, oldest first; lateness eases over the weeks and the second store runs behind.
    cross join lateral (select (i + ${u(0)}) / ${p.count} as position,
      case when ${u(1)} < 0.55 then 1 else ${Math.min(2, p.storeIds.length)} end as store) x
    cross join lateral (select round(${p.first} + x.position * ${p.span - HOUR})::bigint as received,
      (1.35 - 0.7 * x.position) * case when x.store = 2 then 1.25 else 1 end as lateness) r
    cross join lateral (select case when ${u(12)} < 0.035 * r.lateness then case when ${u(13)} < 0.15 then 2 else 1 end else 0 end as fails) f
    cross join lateral (select array[${hours.join(",\n      ")}] as h) h
    -- Each rework adds to the time in production.
    cross join lateral (select h.h[1:${production - 1}] || (h.h[${production}] + f.fails * ${uniform(14, [10, 40])}) || h.h[${production + 1}:] as h) w
    cross join lateral (select array[${starts.join(", ")}, r.received] as e) e
    -- Most delivery dates leave room; about one in ten is tight.
    cross join lateral (select (${ts(`e.e[1] + ${DAY} * ${slack}`)} at time zone 'UTC')::date as required_date,
      (${ts("r.received")} at time zone 'UTC')::date as received_day,
      1 + floor(${u(22)} * ${products.length})::int as product) d`;
}

/** Fills the tables from history_plan, in the shape the commands would have left. */
function insertSql(actors: Actors) {
  const by = (key: StageKey) => {
    const owner = stageDef(key).owner;
    return owner === "storeManager" ? "p.store_actor" : lit(owner === "dispatchTeam" ? actors.dispatch : actors.production);
  };
  const spec = `(${array(products.map((x) => x[0]), "text")})[p.product]`;
  const last = stageKeys.length;
  const production = stageKeys.indexOf("inProduction");
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
      ${ts("p.e[1]")}, ${ts("p.e[2]")}, ${ts(`p.e[${last + 1}]`)}, p.rating, ${ts(`p.e[${last + 1}]`)}
    from history_plan p order by p.id`,
    `insert into stage_entries (order_id, stage, entered_at, due_at, completed_at, completed_by)
    select p.id, s.stage, ${ts("s.entered")}, ${ts("s.entered + s.due")}, ${ts("s.completed")}, s.by
    from history_plan p cross join lateral (values ${stageRows.join(", ")}) s(stage, entered, completed, due, by)
    order by p.id`,
    `insert into inspections (order_id, result, notes, inspector_id, created_at)
    select p.id, ${inspectionResult}, ${inspectionNotes}, ${lit(actors.qc)}::int, ${ts(inspectionAt)}
    from history_plan p cross join lateral generate_series(0, p.fails) n
    order by p.id, n`,
    `insert into order_history (order_id, actor_id, at, version, kind, stage, subject, before, after)
    select p.id, ev.actor, ${ts("ev.at")}, ev.version, ev.kind, ev.stage, ev.subject, ev.before, ev.after
    from history_plan p cross join lateral (${events.join("\n      union all ")}) ev(actor, at, version, kind, stage, subject, before, after)
    order by p.id, ev.version`,
  ];
}

async function insertChunk(db: Db, plan: Plan, inserts: string[]) {
  await db.transaction(async (tx) => {
    await tx.execute(sql.raw(planSql(plan)));
    for (const statement of inserts) await tx.execute(sql.raw(statement));
  });
}

/**
 * Inserts `count` completed orders received over the last `weeks` weeks, oldest first (so order
 * numbers follow time), `batchSize` to a transaction. The same seed and `now` give the same history.
 */
export async function seedHistory(db: Db, options: HistoryOptions) {
  const { count, now = new Date(), weeks = 12, seed = 20240601, batchSize = 50_000, progress } = options;
  if (count <= 0) return 0;
  if (!Number.isSafeInteger(seed) || seed < 0 || seed >= 2 ** 40) throw new Error("The history seed is a whole number from 0 to 2^40");
  const storeRows = await db.select({ id: stores.id, code: stores.code }).from(stores).orderBy(stores.id);
  if (!storeRows.length) throw new Error("Seed the stores before the order history");
  const actors = await loadActors(db, storeRows);
  const span = weeks * 7 * DAY;
  const base = {
    count,
    seed,
    first: now.getTime() - span,
    span,
    storeIds: storeRows.map((s) => s.id),
    storeActors: storeRows.map((s) => actors.store.get(s.id) ?? null),
  };
  const inserts = insertSql(actors);
  let done = 0;
  progress?.(0, count);
  while (done < count) {
    const n = Math.min(batchSize, count - done);
    await insertChunk(db, { ...base, from: done, to: done + n }, inserts);
    done += n;
    progress?.(done, count);
  }
  // Fresh statistics and visibility for the planner: the KPI queries read covering indexes,
  // which only skip the table once the rows are vacuumed (PGlite has no autovacuum).
  await db.execute(sql`vacuum (analyze) orders, stage_entries, inspections, order_history`);
  // The KPI page reads daily rollups; these orders bypassed the commands that keep them.
  await db.transaction((tx) => rebuildKpiRollups(tx));
  return done;
}
