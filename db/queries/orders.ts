import "server-only";
import { type SQL, and, asc, desc, eq, gt, ilike, inArray, lte, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { MAX_YEAR, MIN_YEAR, parseId } from "@/lib/forms/input";
import { type Executor, rowsOf } from "../client";
import { accounts, attachments, inspectionFailReasons, inspections, orderCounts, orderHistory, orders, stageEntries, stores } from "../schema";
import { orderQuantitySql, riskAtSql } from "./order-sql";
import { openFailReasons, reasonsOfInspections } from "./fail-reasons";
import { nextStepColumns, stepKindSql, stepRankSql, stepRoleSql } from "./next-step-sql";
import {
  type Actor,
  type OrderState,
  type StageKey,
  capacityStages,
  parseOrderNumber,
  inspectionStages,
  ownedStages,
  queueScope,
  seesAllStores,
  stageKeys,
  stageOfField,
} from "@/lib/workflow";


/**
 * The order list's filters and page, as lib/orders/filters.ts parses them from the URL (restated
 * here because db/ does not import from lib/orders).
 */
export type OrderListQuery = {
  view: "queue" | "all" | "inspect";
  q?: string;
  stage?: StageKey;
  /** A state, "open" (active or on hold) or "any". */
  state?: OrderState | "open" | "any";
  store?: number;
  sla?: "overdue" | "atRisk";
  mine?: "1";
  assigned?: "me";
  /** A day (YYYY-MM-DD): orders planned on it, as the capacity load counts them. */
  plannedOn?: string;
  /**
   * Orders with a failed inspection naming this fail reason, recorded from `failedFrom` to
   * `failedTo` (UTC days, both included; either may be left out): the KPI page's Pareto bars.
   */
  failReason?: number;
  failedFrom?: string;
  failedTo?: string;
  /** Left out: what the view opens on (viewDefaults). */
  sort?: "due" | "-due" | "new";
  after?: string;
  before?: string;
  page: number;
};
export const PAGE_SIZE = 25;
/** A list the counters cannot count (a search, a due filter) is counted up to this many; past it, "more than". */
export const EXACT_COUNT_UP_TO = 1000;

/** The store scope of an account as a condition: all stores, or the account's own. */
export function scopeCondition(actor: Actor): SQL | undefined {
  if (seesAllStores(actor)) return undefined;
  return actor.storeIds.length ? inArray(orders.storeId, actor.storeIds) : sql`false`;
}

/**
 * States and stages as SQL literals, not parameters: the planner can then prove that a query
 * only reads open orders and use the partial index orders_open_due_id_idx. The values come from
 * the workflow's own lists, never from input.
 */
const literal = (values: readonly string[]) => sql.raw(values.map((v) => `'${v.replace(/'/g, "''")}'`).join(", "));
const stateIs = (...states: OrderState[]) => sql`${orders.state} in (${literal(states)})`;
const stageIn = (keys: readonly StageKey[]) => sql`${orders.stage} in (${literal(keys)})`;

/** The account's queue, as the permission table defines it (queueScope): its stages, held orders, or all open. */
function queueCondition(actor: Actor): SQL | undefined {
  const scope = queueScope(actor);
  if (scope.allOpen) return stateIs("active", "onHold");
  const active = scope.stages.length ? and(stateIs("active"), stageIn(scope.stages)) : sql`false`;
  // Written as one state list, so the planner sees only open orders on either side of the "or".
  return scope.held ? and(stateIs("active", "onHold"), or(active, stateIs("onHold"))) : active;
}

/** Active orders in stages the account owns. */
function mineCondition(actor: Actor): SQL {
  const owned = ownedStages(actor);
  return owned.length ? and(stateIs("active"), stageIn(owned))! : sql`false`;
}

/**
 * Orders that take capacity on a day (lib/planning/capacity.ts takesCapacity): active, being
 * planned or made, with a Production Schedule from before or on the day to on or after it.
 */
export function plannedOn(day: string): SQL {
  return sql`(${orders.state} = 'active' and ${orders.stage} in ${sql.raw(`(${capacityStages.map((s) => `'${s}'`).join(",")})`)} and ${orders.fields} #>> '{productionSchedule,start}' <= ${day} and ${orders.fields} #>> '{productionSchedule,end}' >= ${day} and jsonb_typeof(${orders.fields} -> 'orderQuantity') = 'number')`;
}

/** Active orders whose current stage entry is assigned to the account ("Mine: assigned to me"). */
export function assignedToMe(actor: Actor): SQL {
  return sql`(${orders.state} = 'active' and exists (select 1 from ${stageEntries} where ${stageEntries.orderId} = ${orders.id} and ${stageEntries.completedAt} is null and ${stageEntries.assignedTo} = ${actor.id}))`;
}

/** The name of whoever works the order's current stage, for the board's initials. */
const assigneeNameSql = sql<string | null>`(select ${accounts.name} from ${stageEntries} join ${accounts} on ${accounts.id} = ${stageEntries.assignedTo} where ${stageEntries.orderId} = ${orders.id} and ${stageEntries.completedAt} is null limit 1)`;

/**
 * When production last updated an order: its last change to a field of the stage it is in, or
 * when it entered the stage. An inspection is awaited when none was recorded since. Stored by
 * the command kernel (orders.fields_changed_at) and indexed with the stage entry as written here.
 */
const lastProductionUpdate = sql`coalesce(${orders.fieldsChangedAt}, ${orders.stageEnteredAt})`;

/** Quality control's view: active orders in a stage it inspects, with no inspection since the last production update. */
function awaitingInspection(actor: Actor): SQL {
  const inspects = inspectionStages(actor);
  if (!inspects.length) return sql`false`;
  return and(
    stateIs("active"),
    stageIn(inspects),
    sql`not exists (select 1 from ${inspections} where ${inspections.orderId} = ${orders.id} and ${inspections.createdAt} >= ${lastProductionUpdate})`,
  )!;
}

/** The product specification, as orders_specifications_trgm_idx indexes it. */
const specifications = sql`(${orders.fields} ->> 'productSpecifications')`;

/**
 * The search box: orders whose product specification holds every word, anywhere and in any
 * case ("oak table" finds "Table in solid oak"). Each word is an `ilike '%word%'` that the
 * trigram index answers (a word under three letters is checked on the rows the others found).
 */
function searchCondition(q: string): SQL {
  const words = [...new Set(q.toLowerCase().split(/\s+/).filter(Boolean))];
  return and(...words.map((w) => ilike(specifications, `%${w.replace(/[\\%_]/g, "\\$&")}%`))) ?? sql`true`;
}

/**
 * What a view opens on when the address names no state or sort: "All orders" on the open orders,
 * newest first (SPEC: Next step, everywhere), though a search finds an order in any state; the
 * queue on the soonest due.
 */
export function viewDefaults(query: Pick<OrderListQuery, "view" | "state" | "sort" | "q">) {
  const all = query.view === "all";
  return { state: query.state ?? (all && !query.q ? ("open" as const) : undefined), sort: query.sort ?? (all ? ("new" as const) : ("due" as const)) };
}

/** The order list's sort: a key (null: the id alone) and the direction, from the view and the sort. */
export function sortOf(query: OrderListQuery): { key: SQL | null; desc: boolean } {
  if (query.view === "inspect") return { key: lastProductionUpdate, desc: false };
  const { sort } = viewDefaults(query);
  if (sort === "new") return { key: null, desc: true };
  return { key: sql`${orders.stageDueAt}`, desc: sort === "-due" };
}

const micros = (key: SQL) => sql<string>`(extract(epoch from ${key}) * 1000000)::bigint::text`;

/** The cursor of a row: its sort key and id, as the URL carries it. */
export function cursorOf(row: { id: number; cursorKey: string | null }) {
  return row.cursorKey === null ? String(row.id) : `${row.cursorKey}.${row.id}`;
}

// Sort keys are instants of stored years (2000–2999, lib/forms/input.ts), in microseconds since 1970.
const MIN_KEY = Date.UTC(MIN_YEAR, 0, 1) * 1000;
const MAX_KEY = Date.UTC(MAX_YEAR + 1, 0, 1) * 1000;

/**
 * A cursor from the URL, or null when it is none `cursorOf` could have made: an id past int4 or a
 * key past the stored years would fail in PostgreSQL's casts, so they never reach it.
 */
export function parseCursor(cursor: string): { key: number | null; id: number } | null {
  const m = /^(?:(-?\d{1,17})\.)?(\d{1,10})$/.exec(cursor);
  const id = m ? parseId(m[2]) : null;
  if (!m || id === null) return null;
  if (m[1] === undefined) return { key: null, id };
  const key = Number(m[1]);
  return key >= MIN_KEY && key < MAX_KEY ? { key, id } : null;
}

/** Failed for a reason in a range of UTC days, from the reason's (reason, time, order) index. */
function failedForReason(reasonId: number, from?: string, to?: string): SQL {
  const range = [
    from ? sql`${inspectionFailReasons.createdAt} >= ${from}::date::timestamp at time zone 'UTC'` : undefined,
    to ? sql`${inspectionFailReasons.createdAt} < (${to}::date + 1)::timestamp at time zone 'UTC'` : undefined,
  ];
  return sql`${orders.id} in (select ${inspectionFailReasons.orderId} from ${inspectionFailReasons} where ${and(eq(inspectionFailReasons.reasonId, reasonId), ...range)})`;
}

/** The list's condition: scope, view and filters (exported for the tests, which count with it over the orders). */
export function listConditions(actor: Actor, query: OrderListQuery, now: Date) {
  const conditions: (SQL | undefined)[] = [scopeCondition(actor)];
  if (query.view === "queue") conditions.push(queueCondition(actor));
  if (query.view === "inspect") conditions.push(awaitingInspection(actor));
  if (query.mine) conditions.push(mineCondition(actor));
  if (query.assigned) conditions.push(assignedToMe(actor));
  if (query.plannedOn) conditions.push(plannedOn(query.plannedOn));
  if (query.stage) conditions.push(eq(orders.stage, query.stage));
  const { state } = viewDefaults(query);
  if (state === "open") conditions.push(stateIs("active", "onHold"));
  else if (state && state !== "any") conditions.push(stateIs(state));
  if (query.store) conditions.push(eq(orders.storeId, query.store));
  if (query.sla === "overdue") conditions.push(and(stateIs("active"), lte(orders.stageDueAt, now)));
  // postgres-js takes no raw Date in a template: the instant goes as ISO text.
  if (query.sla === "atRisk") conditions.push(and(stateIs("active"), gt(orders.stageDueAt, now), sql`${riskAtSql} <= ${now.toISOString()}::timestamptz`));
  if (query.failReason) conditions.push(failedForReason(query.failReason, query.failedFrom, query.failedTo));
  if (query.q) {
    const id = parseOrderNumber(query.q);
    const text = searchCondition(query.q);
    conditions.push(id ? or(eq(orders.id, id), text) : text);
  }
  return and(...conditions);
}

/** The matching orders in the page's order, at most EXACT_COUNT_UP_TO + 1 of them, counted. */
// In the page's order, so the capped count walks the page's index too: in heap order it could
// read every completed order before the first open one.
const cappedCount = (where: SQL | undefined, order: SQL) =>
  sql<number>`(select count(*)::int from (select 1 from ${orders} where ${where ?? sql`true`} order by ${order} limit ${EXACT_COUNT_UP_TO + 1}) capped)`;

/**
 * The order counters (order_counts) under the orders' own name: they have the orders' store_id,
 * stage and state columns, so a condition written over those (the store scope, a queue, the
 * stage, state and store filters) counts from them as it is, in a few dozen rows.
 */
const counters = alias(orderCounts, "orders");

/** How many orders a condition on store, stage and state only admits, from the counters. */
export async function countFromCounters(db: Executor, where: SQL | undefined) {
  const [row] = await db.select({ n: sql<number>`coalesce(sum(${counters.n}), 0)::int` }).from(counters).where(where);
  return Number(row.n);
}

/** Open orders (active and on hold) per stage and state that a condition on store, stage and state admits, from the counters. */
export async function openCountsFromCounters(db: Executor, where: SQL | undefined) {
  return db
    .select({ stage: counters.stage, state: counters.state, n: sql<number>`sum(${counters.n})::int` })
    .from(counters)
    .where(and(where, stateIs("active", "onHold")))
    .groupBy(counters.stage, counters.state);
}

/**
 * Active orders past their stage's due time, per stage, counted as the active orders (from the
 * counters) less those not yet due: reads the not-yet-due ones alone, for when most are overdue.
 * One statement, so both sides are of the same moment. `where` is on store, stage and state.
 */
export async function overdueFromCounters(db: Executor, where: SQL | undefined, now: Date) {
  const at = sql`${now.toISOString()}::timestamptz`;
  const rows = rowsOf<{ stage: StageKey; overdue: number }>(
    await db.execute(sql`
      with active as (
        select ${counters.stage} as stage, sum(${counters.n})::int as n from ${orderCounts} as ${sql.identifier("orders")}
        where ${and(where, stateIs("active"))} group by ${counters.stage}
      ), not_due as (
        select ${orders.stage} as stage, count(*)::int as n from ${orders}
        where ${and(where, stateIs("active", "onHold"), stateIs("active"))} and ${orders.stageDueAt} > ${at} group by ${orders.stage}
      )
      select active.stage, (active.n - coalesce(not_due.n, 0))::int as overdue from active left join not_due on not_due.stage = active.stage`),
  );
  return rows.map((r) => ({ stage: r.stage, overdue: Number(r.overdue) }));
}

/** Is the list's condition one of store, stage and state alone, which the counters count exactly? */
const countable = (query: OrderListQuery) => query.view !== "inspect" && !query.q && !query.sla && !query.assigned && !query.plannedOn && !query.failReason;

/** Exact up to EXACT_COUNT_UP_TO (reading no more than that many); past it, "more than" that. */
const shownCount = (capped: number) => (capped <= EXACT_COUNT_UP_TO ? { total: capped, more: false } : { total: EXACT_COUNT_UP_TO, more: true });

/**
 * A page of the order list, by keyset: the PAGE_SIZE rows after (or before) the cursor's row in
 * the sort order (key, then id), read from the index that order needs, however deep the page.
 * `next`/`previous` are the cursors of the neighbouring pages, null at either end.
 */
/** An order's row in a list (the queue, its replacements, My work): what the row shows and its next step. */
const orderRowColumns = {
  id: orders.id,
  storeId: orders.storeId,
  storeName: stores.name,
  productSummary: orders.productSummary,
  quantity: orderQuantitySql,
  stage: orders.stage,
  state: orders.state,
  stageEnteredAt: orders.stageEnteredAt,
  stageDueAt: orders.stageDueAt,
  stageRiskAt: orders.stageRiskAt,
  requiredDeliveryDate: orders.requiredDeliveryDate,
  replacesOrderId: orders.replacesOrderId,
  ...nextStepColumns,
};

export async function listOrders(db: Executor, actor: Actor, query: OrderListQuery, now = new Date(), options: { count?: boolean } = {}) {
  const where = listConditions(actor, query, now);
  const { key, desc: descending } = sortOf(query);
  const backwards = !query.after && Boolean(query.before);
  const cursor = query.after ?? query.before;
  // Walking backwards reads the same index the other way, then turns the rows round.
  const scanDesc = descending !== backwards;
  let seek: SQL | undefined;
  const at = cursor ? parseCursor(cursor) : null;
  if (at) {
    const op = sql.raw(scanDesc ? "<" : ">");
    seek =
      key && at.key !== null
        ? sql`(${key}, ${orders.id}) ${op} ('epoch'::timestamptz + interval '1 microsecond' * ${at.key}::float8, ${at.id}::int)`
        : sql`${orders.id} ${op} ${at.id}`;
  }
  const dir = (col: SQL | typeof orders.id) => (scanDesc ? desc(col) : asc(col));
  const orderBy = key ? [dir(key), dir(orders.id)] : [dir(orders.id)];
  const counted = options.count !== false;
  const fromCounters = counted && countable(query);
  // A list of stages, states and stores is counted from the counters, meanwhile; any other, up
  // to the cap, along with the page's rows (one statement, an InitPlan run once).
  const [fetched, exact] = await Promise.all([
    db
      .select({
        ...orderRowColumns,
        cursorKey: key ? micros(key) : sql<null>`null`,
        capped: counted && !fromCounters ? cappedCount(where, sql.join(orderBy, sql`, `)) : sql<null>`null`,
      })
      .from(orders)
      .innerJoin(stores, eq(stores.id, orders.storeId))
      // The queue's open replacements are listed above its pages (replacementsFirst), and counted with them.
      .where(and(where, seek, query.view === "queue" ? sql`${orders.replacesOrderId} is null` : undefined))
      .orderBy(...orderBy)
      .limit(PAGE_SIZE + 1),
    fromCounters ? countFromCounters(db, where) : null,
  ]);
  // No row to carry the capped count: nothing matches, or the cursor is past the end (counted apart).
  let count: { total: number; more: boolean } | null = null;
  if (exact !== null) count = { total: exact, more: false };
  else if (counted) {
    const apart = async () => rowsOf<{ n: number }>(await db.execute(sql`select ${cappedCount(where, sql.join(orderBy, sql`, `))} as n`))[0].n;
    count = shownCount(fetched.length ? fetched[0].capped! : cursor ? await apart() : 0);
  }
  const more = fetched.length > PAGE_SIZE;
  const page = fetched.slice(0, PAGE_SIZE).map(({ capped: _, ...row }) => row);
  const rows = backwards ? page.reverse() : page;
  const first = rows[0];
  const last = rows[rows.length - 1];
  return {
    rows,
    total: count?.total ?? 0,
    /** More orders match than `total` (EXACT_COUNT_UP_TO): a list the counters cannot count. */
    more: count?.more ?? false,
    /** Cursors of the neighbouring pages; null when there is none. */
    next: last && (backwards ? true : more) ? cursorOf(last) : null,
    previous: first && (backwards ? more : Boolean(cursor)) ? cursorOf(first) : null,
    /** A cursor past the last row: the page says so instead of showing an empty list. */
    pastTheEnd: Boolean(cursor) && rows.length === 0,
  };
}
export type OrderListRow = Awaited<ReturnType<typeof listOrders>>["rows"][number];

/**
 * Open replacements in the account's queue, matching the same filters: they go first, above the
 * queue's pages (SPEC: "a new order … that dispatch sees first"), which leave them out.
 */
export async function replacementsFirst(db: Executor, actor: Actor, query: OrderListQuery, now = new Date()) {
  if (query.view !== "queue" || query.after || query.before) return [];
  const where = and(listConditions(actor, { ...query, view: "all" }, now), queueCondition(actor), sql`${orders.replacesOrderId} is not null`, stateIs("active", "onHold"));
  return db
    .select({
      ...orderRowColumns,
      cursorKey: sql<null>`null`,
    })
    .from(orders)
    .innerJoin(stores, eq(stores.id, orders.storeId))
    .where(where)
    .orderBy(asc(orders.stageDueAt), asc(orders.id))
    .limit(PAGE_SIZE);
}

export const MY_WORK_LIMIT = 50;

/**
 * "My work": the open orders whose next step is the account's (its role has it, as nextStep says)
 * or whose current stage is assigned to it, in the order of their next steps, then by due time.
 * The step is worked out once per order (a materialised CTE), then the first MY_WORK_LIMIT are
 * read in full. `total` counts them all.
 */
export async function myWork(db: Executor, actor: Actor, now = new Date()) {
  const kind = stepKindSql(now);
  const open = and(scopeCondition(actor), stateIs("active", "onHold"));
  const assigned = sql`w.id in (select ${stageEntries.orderId} from ${stageEntries} where ${stageEntries.completedAt} is null and ${stageEntries.assignedTo} = ${actor.id})`;
  const roleHas = actor.roles.length ? sql`${stepRoleSql(sql`w.kind`, sql`w.stage`)} in (${literal(actor.roles)})` : sql`false`;
  const picked = rowsOf<{ id: number; total: number | string }>(
    await db.execute(sql`with w as materialized (
      select ${orders.id} as id, ${orders.stage} as stage, ${orders.stageDueAt} as due, ${kind} as kind from ${orders} where ${open}
    )
    select w.id, count(*) over () as total from w
    where ${roleHas} or ${assigned}
    order by ${stepRankSql(sql`w.kind`, sql`w.stage`)}, w.due, w.id
    limit ${MY_WORK_LIMIT}`),
  );
  if (!picked.length) return { rows: [], total: 0 };
  const ids = picked.map((p) => Number(p.id));
  const fetched = await db
    .select(orderRowColumns)
    .from(orders)
    .innerJoin(stores, eq(stores.id, orders.storeId))
    .where(inArray(orders.id, ids));
  const byId = new Map(fetched.map((r) => [r.id, r]));
  return { rows: ids.map((id) => byId.get(id)!).filter(Boolean), total: Number(picked[0].total) };
}
export type MyWorkRow = Awaited<ReturnType<typeof myWork>>["rows"][number];

export async function listStores(db: Executor, actor: Actor) {
  const scope = seesAllStores(actor) ? undefined : actor.storeIds.length ? inArray(stores.id, actor.storeIds) : sql`false`;
  return db.select().from(stores).where(scope).orderBy(stores.name);
}

export const BOARD_COLUMN_CAP = 20;

/** The board's filters, as lib/orders/filters.ts parses them from the URL. */
export type BoardQuery = { store?: number; stage?: StageKey | "onHold"; sla?: "overdue"; mine?: "1" };
export type BoardColumnKey = StageKey | "onHold";

/**
 * The board: a column per stage and one for held orders, each the first BOARD_COLUMN_CAP cards
 * by due time with the column's full count, in the account's scope and filters.
 */
export async function boardColumns(db: Executor, actor: Actor, query: BoardQuery, now = new Date()) {
  const base = and(
    scopeCondition(actor),
    query.store ? eq(orders.storeId, query.store) : undefined,
    query.sla === "overdue" ? and(eq(orders.state, "active"), lte(orders.stageDueAt, now)) : undefined,
    query.mine ? mineCondition(actor) : undefined,
  );
  // States as literals, never parameters: only then can the planner use the partial indexes over
  // open orders (`state in ('active', 'onHold')`), for the counts and for each column.
  const column = (key: BoardColumnKey) => (key === "onHold" ? stateIs("onHold") : and(stateIs("active"), eq(orders.stage, key)));
  const keys: BoardColumnKey[] = [...stageKeys, "onHold"];
  const card = {
    id: orders.id,
    storeName: stores.name,
    productSummary: orders.productSummary,
    stage: orders.stage,
    state: orders.state,
    stageEnteredAt: orders.stageEnteredAt,
    stageDueAt: orders.stageDueAt,
    stageRiskAt: orders.stageRiskAt,
    requiredDeliveryDate: orders.requiredDeliveryDate,
    assigneeName: assigneeNameSql,
    ...nextStepColumns,
  };
  // The columns' counts from the counters, unless the due filter (a time, not a counter) applies.
  const [counts, ...cards] = await Promise.all([
    query.sla
      ? db
          .select({ stage: orders.stage, state: orders.state, n: sql<number>`count(*)::int` })
          .from(orders)
          .where(and(base, stateIs("active", "onHold")))
          .groupBy(orders.stage, orders.state)
      : openCountsFromCounters(db, base),
    ...keys.map((key) =>
      db.select(card).from(orders).innerJoin(stores, eq(stores.id, orders.storeId)).where(and(base, column(key))).orderBy(asc(orders.stageDueAt), asc(orders.id)).limit(BOARD_COLUMN_CAP),
    ),
  ]);
  return keys.map((key, i) => ({
    key,
    total: counts.filter((c) => (key === "onHold" ? c.state === "onHold" : c.state === "active" && c.stage === key)).reduce((sum, c) => sum + c.n, 0),
    cards: cards[i],
  }));
}
export type BoardColumn = Awaited<ReturnType<typeof boardColumns>>[number];

/** Everything the order page shows; null when the order does not exist. Scope is the caller's check. */
export async function orderDetail(db: Executor, id: number) {
  const [row] = await db.select({ order: orders, storeName: stores.name, storeTimeZone: stores.timeZone }).from(orders).innerJoin(stores, eq(stores.id, orders.storeId)).where(eq(orders.id, id));
  if (!row) return null;
  const [history, inspectionRows, attachmentRows, entries] = await Promise.all([
    db
      .select({ event: orderHistory, actorName: accounts.name })
      .from(orderHistory)
      .leftJoin(accounts, eq(accounts.id, orderHistory.actorId))
      .where(eq(orderHistory.orderId, id))
      .orderBy(desc(orderHistory.id)),
    db
      .select({ inspection: inspections, inspectorName: accounts.name })
      .from(inspections)
      .leftJoin(accounts, eq(accounts.id, inspections.inspectorId))
      .where(eq(inspections.orderId, id))
      .orderBy(desc(inspections.createdAt), desc(inspections.id)),
    db
      .select({ id: attachments.id, filename: attachments.filename, contentType: attachments.contentType, size: attachments.size, stage: attachments.stage, createdAt: attachments.createdAt })
      .from(attachments)
      .where(eq(attachments.orderId, id))
      .orderBy(asc(attachments.id)),
    db.select().from(stageEntries).where(eq(stageEntries.orderId, id)).orderBy(asc(stageEntries.id)),
  ]);
  // The reasons each failed inspection named, and the list an inspection form offers (a few rows).
  const [reasons, failReasonOptions] = await Promise.all([
    reasonsOfInspections(db, inspectionRows.filter((r) => r.inspection.result === "fail").map((r) => r.inspection.id)),
    row.order.stage === stageOfField("qualityCheckResults") && row.order.state === "active" ? openFailReasons(db) : [],
  ]);
  return {
    ...row,
    history,
    inspections: inspectionRows.map((r) => ({ ...r, reasons: reasons.get(r.inspection.id) ?? [] })),
    failReasonOptions,
    attachments: attachmentRows,
    stageEntries: entries,
  };
}
export type OrderDetail = NonNullable<Awaited<ReturnType<typeof orderDetail>>>;

export async function attachmentFile(db: Executor, id: number) {
  const [row] = await db
    .select({ attachment: attachments, order: { storeId: orders.storeId, stage: orders.stage, state: orders.state } })
    .from(attachments)
    .innerJoin(orders, eq(orders.id, attachments.orderId))
    .where(eq(attachments.id, id));
  return row ?? null;
}

export type { StageKey };
