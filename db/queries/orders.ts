import "server-only";
import { type SQL, and, asc, desc, eq, gt, ilike, inArray, lte, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "../client";
import { accounts, attachments, inspections, orderHistory, orders, stageEntries, stores } from "../schema";
import {
  type Actor,
  type StageKey,
  idSchema,
  orderStates,
  parseOrderNumber,
  inspectionStages,
  ownedStages,
  queueScope,
  seesAllStores,
  stageKeys,
  stages,
} from "@/lib/workflow";

/** When a stage turns "at risk", per stage, as SQL over the order's row. */
const riskAtSql = sql`(${orders.stageEnteredAt} + interval '1 millisecond' * (case ${orders.stage} ${sql.join(
  stages.map((s) => sql`when ${s.key} then ${s.target.riskAfterMs}::bigint`),
  sql` `,
)} end))`;

export const orderListSchema = z.object({
  view: z.enum(["queue", "all", "inspect"]).catch("queue"),
  q: z.string().trim().max(200).optional().catch(undefined),
  stage: z.enum(stageKeys).optional().catch(undefined),
  state: z.enum(orderStates).optional().catch(undefined),
  store: idSchema.optional().catch(undefined),
  sla: z.enum(["overdue", "atRisk"]).optional().catch(undefined),
  /** Only orders in stages the account owns. */
  mine: z.enum(["1"]).optional().catch(undefined),
  /** "me": only orders whose current stage is assigned to (or claimed by) the account. */
  assigned: z.enum(["me"]).optional().catch(undefined),
  sort: z.enum(["due", "-due", "new"]).catch("due"),
  page: z.coerce.number().int().min(1).max(100000).catch(1),
});
export type OrderListQuery = z.infer<typeof orderListSchema>;
export const PAGE_SIZE = 25;

/** The store scope of an account as a condition: all stores, or the account's own. */
export function scopeCondition(actor: Actor): SQL | undefined {
  if (seesAllStores(actor)) return undefined;
  return actor.storeIds.length ? inArray(orders.storeId, actor.storeIds) : sql`false`;
}

/** The account's queue, as the permission table defines it (queueScope): its stages, held orders, or all open. */
function queueCondition(actor: Actor): SQL | undefined {
  const scope = queueScope(actor);
  if (scope.allOpen) return inArray(orders.state, ["active", "onHold"]);
  const active = scope.stages.length ? and(eq(orders.state, "active"), inArray(orders.stage, scope.stages)) : sql`false`;
  return scope.held ? or(active, eq(orders.state, "onHold")) : active;
}

/** Active orders in stages the account owns. */
function mineCondition(actor: Actor): SQL {
  const owned = ownedStages(actor);
  return owned.length ? and(eq(orders.state, "active"), inArray(orders.stage, owned))! : sql`false`;
}

/** Active orders whose current stage entry is assigned to the account ("Mine: assigned to me"). */
export function assignedToMe(actor: Actor): SQL {
  return sql`(${orders.state} = 'active' and exists (select 1 from ${stageEntries} where ${stageEntries.orderId} = ${orders.id} and ${stageEntries.completedAt} is null and ${stageEntries.assignedTo} = ${actor.id}))`;
}

/** The name of whoever works the order's current stage, for the board's initials. */
const assigneeNameSql = sql<string | null>`(select ${accounts.name} from ${stageEntries} join ${accounts} on ${accounts.id} = ${stageEntries.assignedTo} where ${stageEntries.orderId} = ${orders.id} and ${stageEntries.completedAt} is null limit 1)`;

/**
 * When production last updated an order: its last change to a field of the stage it is in, or
 * when it entered the stage. An inspection is awaited when none was recorded since.
 */
const lastProductionUpdate = sql`coalesce((select max(${orderHistory.at}) from ${orderHistory} where ${orderHistory.orderId} = ${orders.id} and ${orderHistory.kind} = 'fieldChanged' and ${orderHistory.stage} = ${orders.stage}), ${orders.stageEnteredAt})`;

/** Quality control's view: active orders in a stage it inspects, with no inspection since the last production update. */
function awaitingInspection(actor: Actor): SQL {
  const inspects = inspectionStages(actor);
  if (!inspects.length) return sql`false`;
  return and(
    eq(orders.state, "active"),
    inArray(orders.stage, inspects),
    sql`not exists (select 1 from ${inspections} where ${inspections.orderId} = ${orders.id} and ${inspections.createdAt} >= ${lastProductionUpdate})`,
  )!;
}

export async function listOrders(db: Executor, actor: Actor, query: OrderListQuery, now = new Date()) {
  const conditions: (SQL | undefined)[] = [scopeCondition(actor)];
  if (query.view === "queue") conditions.push(queueCondition(actor));
  if (query.view === "inspect") conditions.push(awaitingInspection(actor));
  if (query.mine) conditions.push(mineCondition(actor));
  if (query.assigned) conditions.push(assignedToMe(actor));
  if (query.stage) conditions.push(eq(orders.stage, query.stage));
  if (query.state) conditions.push(eq(orders.state, query.state));
  if (query.store) conditions.push(eq(orders.storeId, query.store));
  if (query.sla === "overdue") conditions.push(and(eq(orders.state, "active"), lte(orders.stageDueAt, now)));
  if (query.sla === "atRisk") conditions.push(and(eq(orders.state, "active"), gt(orders.stageDueAt, now), sql`${riskAtSql} <= ${now}`));
  if (query.q) {
    const id = parseOrderNumber(query.q);
    const text = ilike(sql`${orders.fields}->>'productSpecifications'`, `%${query.q.replace(/[\\%_]/g, "\\$&")}%`);
    conditions.push(id ? or(eq(orders.id, id), text) : text);
  }
  const order = query.view === "inspect" ? [asc(lastProductionUpdate), asc(orders.id)] : query.sort === "new" ? [desc(orders.id)] : query.sort === "-due" ? [desc(orders.stageDueAt), desc(orders.id)] : [asc(orders.stageDueAt), asc(orders.id)];
  const rows = await db
    .select({
      id: orders.id,
      storeId: orders.storeId,
      storeName: stores.name,
      productSummary: orders.productSummary,
      quantity: sql<number | null>`(${orders.fields}->>'orderQuantity')::int`,
      stage: orders.stage,
      state: orders.state,
      stageEnteredAt: orders.stageEnteredAt,
      stageDueAt: orders.stageDueAt,
      requiredDeliveryDate: orders.requiredDeliveryDate,
      total: sql<number>`count(*) over ()`.mapWith(Number),
    })
    .from(orders)
    .innerJoin(stores, eq(stores.id, orders.storeId))
    .where(and(...conditions))
    .orderBy(...order)
    .limit(PAGE_SIZE)
    .offset((query.page - 1) * PAGE_SIZE);
  return { rows, total: rows[0]?.total ?? 0 };
}
export type OrderListRow = Awaited<ReturnType<typeof listOrders>>["rows"][number];

export async function listStores(db: Executor, actor: Actor) {
  const scope = seesAllStores(actor) ? undefined : actor.storeIds.length ? inArray(stores.id, actor.storeIds) : sql`false`;
  return db.select().from(stores).where(scope).orderBy(stores.name);
}

export const BOARD_COLUMN_CAP = 20;

export const boardSchema = z.object({
  store: idSchema.optional().catch(undefined),
  /** On a phone the board shows one column at a time: this one. */
  stage: z.enum([...stageKeys, "onHold"]).optional().catch(undefined),
  sla: z.enum(["overdue"]).optional().catch(undefined),
  mine: z.enum(["1"]).optional().catch(undefined),
});
export type BoardQuery = z.infer<typeof boardSchema>;
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
  const column = (key: BoardColumnKey) => (key === "onHold" ? eq(orders.state, "onHold") : and(eq(orders.state, "active"), eq(orders.stage, key)));
  const keys: BoardColumnKey[] = [...stageKeys, "onHold"];
  const card = {
    id: orders.id,
    storeName: stores.name,
    productSummary: orders.productSummary,
    stage: orders.stage,
    state: orders.state,
    stageEnteredAt: orders.stageEnteredAt,
    stageDueAt: orders.stageDueAt,
    requiredDeliveryDate: orders.requiredDeliveryDate,
    assigneeName: assigneeNameSql,
  };
  const [counts, ...cards] = await Promise.all([
    db
      .select({ stage: orders.stage, state: orders.state, n: sql<number>`count(*)::int` })
      .from(orders)
      .where(and(base, inArray(orders.state, ["active", "onHold"])))
      .groupBy(orders.stage, orders.state),
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
      .select({ id: attachments.id, filename: attachments.filename, contentType: attachments.contentType, size: attachments.size, createdAt: attachments.createdAt })
      .from(attachments)
      .where(eq(attachments.orderId, id))
      .orderBy(asc(attachments.id)),
    db.select().from(stageEntries).where(eq(stageEntries.orderId, id)).orderBy(asc(stageEntries.id)),
  ]);
  return { ...row, history, inspections: inspectionRows, attachments: attachmentRows, stageEntries: entries };
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
