import "server-only";
import { type SQL, and, arrayOverlaps, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { Db, Executor } from "@/db/client";
import { accounts, automationRules, notificationPreferences, notifications, orderComments, orders, ruleFirings, stageEntries, storeMembers, stores } from "@/db/schema";
import type { TriggerType } from "@/db/schema";
import { accountStoreIds } from "@/lib/auth/accounts";
import { type RoleKey, stageKeys, stages } from "@/lib/workflow";
import {
  DELIVERY_PREFIX,
  type Firing,
  type RecipientAccount,
  type RuleFacts,
  STAGE_ENTRY_PREFIX,
  type TimeTrigger,
  evaluateTimeRules,
  recipientRoles,
  recipientsFor,
  timeTriggers,
} from "./evaluator";
import { renderMessage } from "./message";
import { type DeliverySummary, type Mailer, deliverPendingEmails } from "./outbox";
import { type Preferences, emailModeFor, nextDigestAt, prefKey, ruleTopic } from "./preferences";

/**
 * The runner applies what the evaluator decides. A firing is claimed with
 * INSERT ... ON CONFLICT DO NOTHING on (rule, order, occasion); only the rows this transaction
 * really inserted get their notifications, in the same transaction. Two passes at once, or one
 * repeated, therefore create each firing and each notification exactly once.
 */

export type RunSummary = { evaluated: number; fired: number; notified: number } & DeliverySummary;

const CHUNK = 1000;
const TIME_BATCH = 2000;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export type DeliveryAccount = RecipientAccount & { timeZone: string | null; digestHour: number };

/** Active accounts holding any of the roles or with any of the ids, with their stores. */
export async function loadRecipients(db: Executor, roleKeys: RoleKey[], ids: number[] = []): Promise<DeliveryAccount[]> {
  if (!roleKeys.length && !ids.length) return [];
  const rows = await db
    .select({
      id: accounts.id,
      roles: accounts.roles,
      storeIds: accountStoreIds,
      timeZone: accounts.timeZone,
      digestHour: accounts.digestHour,
    })
    .from(accounts)
    .leftJoin(storeMembers, eq(storeMembers.accountId, accounts.id))
    .where(and(eq(accounts.active, true), or(roleKeys.length ? arrayOverlaps(accounts.roles, roleKeys) : undefined, ids.length ? inArray(accounts.id, ids) : undefined)))
    .groupBy(accounts.id);
  return rows.map((r) => ({ ...r, storeIds: r.storeIds.map(Number) }));
}

/** The accounts a set of firings may reach: role holders and the people named on the orders. */
export function loadRecipientsFor(db: Executor, firings: readonly Firing[]) {
  const roles = new Set<RoleKey>();
  const ids = new Set<number>();
  for (const f of firings) {
    for (const r of recipientRoles(f.recipients, f.stage)) roles.add(r);
    if (f.recipients.some((s) => s.kind === "assignee") && f.people.assigneeId !== null) ids.add(f.people.assigneeId);
    if (f.recipients.some((s) => s.kind === "commenters")) for (const id of f.people.commenterIds) ids.add(id);
  }
  return loadRecipients(db, [...roles], [...ids]);
}

/** The accounts' choices for these topics. */
export async function loadPreferences(db: Executor, accountIds: number[], topics: string[]): Promise<Preferences> {
  if (!accountIds.length || !topics.length) return new Map();
  const rows = await db
    .select()
    .from(notificationPreferences)
    .where(and(inArray(notificationPreferences.accountId, accountIds), inArray(notificationPreferences.topic, topics)));
  return new Map(rows.map((r) => [prefKey(r.accountId, r.topic), r.mode]));
}

/** The email columns of a new notification, as the recipient chose to take it. */
export function emailColumns(account: DeliveryAccount | undefined, mode: ReturnType<typeof emailModeFor>, now: Date) {
  return {
    emailMode: mode,
    emailStatus: mode === "none" ? ("skipped" as const) : ("pending" as const),
    emailNextAttemptAt: mode === "digest" ? nextDigestAt(now, account?.timeZone, account?.digestHour ?? 8) : now,
  };
}

/** Fills a message's placeholders ({store}, {trackingNumber} …) from the orders it is about. */
async function renderMessages(tx: Executor, firings: Firing[]): Promise<Map<number, Awaited<ReturnType<typeof loadMessageFacts>>[number]>> {
  const ids = [...new Set(firings.filter((f) => f.message.includes("{")).map((f) => f.orderId))];
  if (!ids.length) return new Map();
  const rows = await loadMessageFacts(tx, ids);
  return new Map(rows.map((r) => [r.id, r]));
}
function loadMessageFacts(tx: Executor, ids: number[]) {
  return tx.select({ id: orders.id, fields: orders.fields, storeName: stores.name }).from(orders).innerJoin(stores, eq(stores.id, orders.storeId)).where(inArray(orders.id, ids));
}

/**
 * Records firings and their notifications (one per recipient). Returns how many firings were new
 * and how many notifications that made. Call inside a transaction.
 */
export async function recordFirings(tx: Executor, firings: Firing[], recipients: readonly DeliveryAccount[], now: Date) {
  let fired = 0;
  let notified = 0;
  const byId = new Map(recipients.map((a) => [a.id, a]));
  const prefs = await loadPreferences(tx, recipients.map((a) => a.id), [...new Set(firings.map((f) => ruleTopic(f.ruleId)))]);
  const facts = await renderMessages(tx, firings);
  // The same insertion order in every transaction, so concurrent passes wait on each other
  // instead of deadlocking on the unique index.
  const sorted = [...firings].sort((a, b) => a.ruleId - b.ruleId || a.orderId - b.orderId || a.occasion.localeCompare(b.occasion));
  for (const chunk of chunks(sorted, CHUNK)) {
    const inserted = await tx
      .insert(ruleFirings)
      .values(chunk.map((f) => ({ ruleId: f.ruleId, orderId: f.orderId, occasion: f.occasion, firedAt: now })))
      .onConflictDoNothing()
      .returning({ id: ruleFirings.id, ruleId: ruleFirings.ruleId, orderId: ruleFirings.orderId, occasion: ruleFirings.occasion });
    fired += inserted.length;
    const byKey = new Map(chunk.map((f) => [`${f.ruleId}/${f.orderId}/${f.occasion}`, f]));
    const rows = inserted.flatMap((row) => {
      const f = byKey.get(`${row.ruleId}/${row.orderId}/${row.occasion}`)!;
      const fact = facts.get(f.orderId);
      const message = fact ? renderMessage(f.message, fact) : f.message;
      return recipientsFor(f, recipients).map((accountId) => ({
        firingId: row.id,
        accountId,
        orderId: f.orderId,
        message,
        priority: f.priority,
        createdAt: now,
        ...emailColumns(byId.get(accountId), emailModeFor(prefs, accountId, ruleTopic(f.ruleId), f.priority), now),
      }));
    });
    for (const part of chunks(rows, CHUNK)) {
      const made = await tx.insert(notifications).values(part).onConflictDoNothing().returning({ id: notifications.id });
      notified += made.length;
    }
  }
  return { fired, notified };
}

export async function enabledRules(db: Executor, types: TriggerType | readonly TriggerType[]): Promise<RuleFacts[]> {
  const list = typeof types === "string" ? [types] : [...types];
  return db
    .select({
      id: automationRules.id,
      trigger: automationRules.trigger,
      recipients: automationRules.recipients,
      message: automationRules.message,
      priority: automationRules.priority,
      enabled: automationRules.enabled,
    })
    .from(automationRules)
    .where(and(eq(automationRules.enabled, true), inArray(sql<string>`${automationRules.trigger}->>'type'`, list)))
    .orderBy(automationRules.id);
}

/** When the current stage turns at risk, as SQL over the order's row. */
const riskAtSql = sql`(${orders.stageEnteredAt} + interval '1 millisecond' * (case ${orders.stage} ${sql.join(
  stages.map((s) => sql`when ${s.key} then ${s.target.riskAfterMs}::bigint`),
  sql` `,
)} end))`;
/** The targets of the stages after the current one, summed (projectedDelivery in SQL). */
const restMsSql = sql`(case ${orders.stage} ${sql.join(
  stageKeys.map((k, i) => sql`when ${k} then ${stages.slice(i + 1).reduce((sum, s) => sum + s.target.dueAfterMs, 0)}::bigint`),
  sql` `,
)} end)`;

/** Each time trigger's condition and occasion in SQL: a superset the evaluator then decides on. */
function timeSql(type: TimeTrigger, now: Date): { when: SQL; occasion: SQL } {
  // A bare Date inside raw SQL reaches postgres-js untyped; as ISO text with a cast it works on both drivers.
  const at = sql`${now.toISOString()}::timestamptz`;
  const entry = sql`${STAGE_ENTRY_PREFIX} || ${stageEntries.id}`;
  switch (type) {
    case "stage_overdue":
      return { when: lte(orders.stageDueAt, now)!, occasion: entry };
    case "stage_at_risk":
      return { when: sql`${riskAtSql} <= ${at} and ${orders.stageDueAt} > ${at}`, occasion: entry };
    case "delivery_at_risk":
      return {
        when: sql`${orders.requiredDeliveryDate} is not null and greatest(${orders.stageDueAt}, ${at}) + interval '1 millisecond' * ${restMsSql} > (${orders.requiredDeliveryDate}::timestamp at time zone 'UTC') + interval '1 day' - interval '1 millisecond'`,
        occasion: sql`${DELIVERY_PREFIX} || ${orders.requiredDeliveryDate}::text`,
      };
  }
}

/**
 * Active orders for which one time rule holds and has not fired for its occasion: one set-based
 * query, so a steady state reads nothing. The evaluator still makes the decision.
 */
async function timeCandidates(db: Executor, rule: RuleFacts, now: Date, limit: number) {
  const t = rule.trigger;
  const { when, occasion } = timeSql(t.type as TimeTrigger, now);
  const stageFilter = "stage" in t && t.stage ? eq(orders.stage, t.stage) : undefined;
  return db
    .select({
      id: orders.id,
      storeId: orders.storeId,
      stage: orders.stage,
      state: orders.state,
      stageEnteredAt: orders.stageEnteredAt,
      stageDueAt: orders.stageDueAt,
      requiredDeliveryDate: orders.requiredDeliveryDate,
      stageEntryId: stageEntries.id,
      assigneeId: stageEntries.assignedTo,
      commenterIds: sql<number[]>`coalesce((select array_agg(distinct ${orderComments.authorId}) from ${orderComments} where ${orderComments.orderId} = ${orders.id}), '{}')`,
    })
    .from(orders)
    .innerJoin(stageEntries, and(eq(stageEntries.orderId, orders.id), eq(stageEntries.stage, orders.stage), isNull(stageEntries.completedAt)))
    .where(
      and(
        eq(orders.state, "active"),
        stageFilter,
        when,
        sql`not exists (select 1 from ${ruleFirings} where ${ruleFirings.ruleId} = ${rule.id} and ${ruleFirings.orderId} = ${orders.id} and ${ruleFirings.occasion} = ${occasion})`,
      ),
    )
    .orderBy(orders.id)
    .limit(limit);
}

/** Evaluates the time rules (at risk, overdue, delivery at risk), rule by rule in batches, each batch in one transaction. */
export async function evaluateTimeRulesPass(db: Db, now: Date, types: readonly TimeTrigger[] = timeTriggers) {
  const totals = { evaluated: 0, fired: 0, notified: 0 };
  const rules = await enabledRules(db, types);
  for (const rule of rules) {
    for (;;) {
      const candidates = await timeCandidates(db, rule, now, TIME_BATCH);
      totals.evaluated += candidates.length;
      const people = new Map(candidates.map((c) => [c.id, { assigneeId: c.assigneeId, commenterIds: c.commenterIds.map(Number) }]));
      const firings = evaluateTimeRules([rule], candidates, now, (id) => people.get(id)!);
      if (firings.length) {
        const recipients = await loadRecipientsFor(db, firings);
        const done = await db.transaction((tx) => recordFirings(tx, firings, recipients, now));
        totals.fired += done.fired;
        totals.notified += done.notified;
      }
      // A short batch means everything outstanding was seen. Rows a concurrent pass was still
      // inserting are skipped by the conflict clause and excluded from the next query.
      if (candidates.length < TIME_BATCH) break;
    }
  }
  return totals;
}

/** The card's overdue rules alone (kept for callers and tests that name them). */
export const evaluateOverdueRules = (db: Db, now: Date) => evaluateTimeRulesPass(db, now, ["stage_overdue"]);

export type RunOptions = { db: Db; now?: Date; mailer?: Mailer; budgetMs?: number };

/** One pass: evaluate the time rules, then deliver every email that is due. Safe to run concurrently. */
export async function runAutomations(options: RunOptions): Promise<RunSummary> {
  const now = options.now ?? new Date();
  const evaluated = await evaluateTimeRulesPass(options.db, now);
  const delivered = await deliverPendingEmails(options.db, { now: options.now, mailer: options.mailer, budgetMs: options.budgetMs });
  return { ...evaluated, ...delivered };
}
