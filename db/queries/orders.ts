import "server-only";
import { type SQL, and, asc, desc, eq, gt, ilike, inArray, lte, or, sql } from "drizzle-orm";
import { z } from "zod";
import { idParam, oneParam, pageParam, textSchema } from "@/lib/forms/input";
import type { Executor } from "../client";
import { accounts, attachments, inspections, orderHistory, orders, stageEntries, stores } from "../schema";
import {
  type Actor,
  type StageKey,
  orderStates,
  parseOrderNumber,
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

/** The order list's URL query; anything unusable in it is left out, never an error. */
export const orderListSchema = z.object({
  view: z.preprocess(oneParam, z.enum(["queue", "all"]).catch("queue")),
  q: z.preprocess(oneParam, textSchema({ max: 200, singleLine: true }).optional().catch(undefined)),
  stage: z.preprocess(oneParam, z.enum(stageKeys).optional().catch(undefined)),
  state: z.preprocess(oneParam, z.enum(orderStates).optional().catch(undefined)),
  store: idParam,
  sla: z.preprocess(oneParam, z.enum(["overdue", "atRisk"]).optional().catch(undefined)),
  sort: z.preprocess(oneParam, z.enum(["due", "-due", "new"]).catch("due")),
  page: pageParam(),
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

export async function listOrders(db: Executor, actor: Actor, query: OrderListQuery, now = new Date()) {
  const conditions: (SQL | undefined)[] = [scopeCondition(actor)];
  if (query.view === "queue") conditions.push(queueCondition(actor));
  if (query.stage) conditions.push(eq(orders.stage, query.stage));
  if (query.state) conditions.push(eq(orders.state, query.state));
  if (query.store) conditions.push(eq(orders.storeId, query.store));
  if (query.sla === "overdue") conditions.push(and(eq(orders.state, "active"), lte(orders.stageDueAt, now)));
  if (query.sla === "atRisk") conditions.push(and(eq(orders.state, "active"), gt(orders.stageDueAt, now), sql`${riskAtSql} <= ${now.toISOString()}::timestamptz`));
  if (query.q) {
    const id = parseOrderNumber(query.q);
    const text = ilike(sql`${orders.fields}->>'productSpecifications'`, `%${query.q.replace(/[\\%_]/g, "\\$&")}%`);
    conditions.push(id ? or(eq(orders.id, id), text) : text);
  }
  const order = query.sort === "new" ? [desc(orders.id)] : query.sort === "-due" ? [desc(orders.stageDueAt), desc(orders.id)] : [asc(orders.stageDueAt), asc(orders.id)];
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

/** Active orders by stage for the board, in the account's scope. */
export async function boardOrders(db: Executor, actor: Actor, storeId?: number) {
  return db
    .select({
      id: orders.id,
      storeName: stores.name,
      productSummary: orders.productSummary,
      stage: orders.stage,
      stageEnteredAt: orders.stageEnteredAt,
      stageDueAt: orders.stageDueAt,
      requiredDeliveryDate: orders.requiredDeliveryDate,
    })
    .from(orders)
    .innerJoin(stores, eq(stores.id, orders.storeId))
    .where(and(scopeCondition(actor), eq(orders.state, "active"), storeId ? eq(orders.storeId, storeId) : undefined))
    .orderBy(asc(orders.stageDueAt))
    .limit(500);
}

/** Everything the order page shows; null when the order does not exist. Scope is the caller's check. */
export async function orderDetail(db: Executor, id: number) {
  const [row] = await db.select({ order: orders, storeName: stores.name }).from(orders).innerJoin(stores, eq(stores.id, orders.storeId)).where(eq(orders.id, id));
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
