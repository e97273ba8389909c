import "server-only";
import { type SQL, and, arrayOverlaps, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { type Db, type Executor, rowsOf } from "@/db/client";
import { openStageEntry, triggerFacts } from "@/db/queries/automation";
import { accounts, automationRules, notificationPreferences, notifications, orderComments, orders, ruleFirings, stageEntries, stores } from "@/db/schema";
import type { RecipientSpec, RuleTrigger, TriggerType } from "@/db/schema";
import { accountsWithStores } from "@/db/queries/account-stores";
import { riskAtSql } from "@/db/queries/order-sql";
import { type FieldKey, type RoleKey, compoundKinds, field as fieldDef, isFieldKey, mayReadStore, roleKeys as allRoles, stageKeys, stageOfField, stages } from "@/lib/workflow";
import { normaliseRuleValue, ruleValueOptions } from "./values";
import {
  DELIVERY_PREFIX,
  DUE_REVISION_SEPARATOR,
  type Firing,
  type RecipientAccount,
  type RuleFacts,
  STAGE_ENTRY_PREFIX,
  type TimeTrigger,
  evaluateTimeRules,
  recipientRoles,
  recipientsFor,
  tellOnce,
  timeTriggers,
  triggerStages,
} from "./evaluator";
import { reportUnexpected } from "@/lib/errors";
import { type RetentionSummary, pruneOldRows } from "@/lib/operations/retention";
import { tidyFiles } from "./files-housekeeping";
import { hasPlaceholders, renderMessage, withDetail } from "./message";
import { type DeliverySummary, type Mailer, deliverPendingEmails } from "@/lib/email/outbox";
import { notifyInboxes } from "@/db/notify";
import { type WebhookSummary, deliverWebhooks } from "@/lib/webhooks/deliver";
import { pruneIdempotencyKeys } from "@/db/queries/api-admin";
import { type Preferences, emailModeFor, nextDigestAt, prefKey, ruleTopic } from "./preferences";

/**
 * The runner applies what the evaluator decides. A firing is claimed with
 * INSERT ... ON CONFLICT DO NOTHING on (rule, order, occasion); only the rows this transaction
 * really inserted get their notifications, in the same transaction. Two passes at once, or one
 * repeated, therefore create each firing and each notification exactly once.
 */

export type RunSummary = { evaluated: number; fired: number; notified: number; webhooks?: WebhookSummary; pruned?: RetentionSummary } & DeliverySummary;

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
  return accountsWithStores(
    db,
    { id: accounts.id, roles: accounts.roles, timeZone: accounts.timeZone, digestHour: accounts.digestHour },
    { where: and(eq(accounts.active, true), or(roleKeys.length ? arrayOverlaps(accounts.roles, roleKeys) : undefined, ids.length ? inArray(accounts.id, ids) : undefined)) },
  );
}

/** The accounts a set of firings may reach: role holders and the people named on the orders. */
export function loadRecipientsFor(db: Executor, firings: readonly Pick<Firing, "recipients" | "stage" | "people">[]) {
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
 * Records firings and their notifications (one per recipient, and one per recipient for all the
 * firings of one event: tellOnce). `covering` are firings of the same events by rules recorded
 * elsewhere (a time rule's lower-numbered companions): their recipients count as told. Returns
 * how many firings were new and how many notifications that made. Call inside a transaction.
 */
export async function recordFirings(
  tx: Executor,
  firings: Firing[],
  recipients: readonly DeliveryAccount[],
  now: Date,
  covering: readonly Firing[] = [],
  /** `${orderId}/${accountId}` already alerted for this event elsewhere; those alerted here are added. */
  told: Set<string> = new Set(),
) {
  let fired = 0;
  let notified = 0;
  const byId = new Map(recipients.map((a) => [a.id, a]));
  const prefs = await loadPreferences(tx, recipients.map((a) => a.id), [...new Set(firings.map((f) => ruleTopic(f.ruleId)))]);
  const facts = await renderMessages(tx, firings);
  const tell = tellOnce([...firings, ...covering], (f) => recipientsFor(f, recipients).filter((id) => !told.has(`${f.orderId}/${id}`)));
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
      const message = withDetail(fact ? renderMessage(f.message, fact) : f.message, f.detail);
      const to = tell.get(f) ?? [];
      for (const accountId of to) told.add(`${f.orderId}/${accountId}`);
      return to.map((accountId) => ({
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
      const made = await tx.insert(notifications).values(part).onConflictDoNothing().returning({ id: notifications.id, accountId: notifications.accountId });
      await notifyInboxes(tx, made.map((m) => m.accountId));
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
    .where(and(eq(automationRules.enabled, true), isNull(automationRules.archivedAt), inArray(sql<string>`${automationRules.trigger}->>'type'`, list)))
    .orderBy(automationRules.id);
}

/** The targets of the stages after the current one, summed (projectedDelivery in SQL). */
const restMsSql = sql`(case ${orders.stage} ${sql.join(
  stageKeys.map((k, i) => sql`when ${k} then ${stages.slice(i + 1).reduce((sum, s) => sum + s.target.dueAfterMs, 0)}::bigint`),
  sql` `,
)} end)`;

/** Each time trigger's condition and occasion in SQL: a superset the evaluator then decides on. */
function timeSql(type: TimeTrigger, now: Date): { when: SQL; occasion: SQL } {
  // A bare Date inside raw SQL reaches postgres-js untyped; as ISO text with a cast it works on both drivers.
  const at = sql`${now.toISOString()}::timestamptz`;
  // stageClockOccasion in SQL: the plain entry key, with the due revision once a plan moved it.
  const entry = sql`${STAGE_ENTRY_PREFIX} || ${stageEntries.id} || case when ${stageEntries.dueRevision} > 0 then ${DUE_REVISION_SEPARATOR} || ${stageEntries.dueRevision} else '' end`;
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

/** A field's value as a `field_equals` rule compares it (the evaluator's comparableValue), as SQL over the order's row. */
function comparableValueSql(field: FieldKey): SQL {
  const part = compoundKinds[fieldDef(field).input.kind]?.choice;
  return part
    ? sql`nullif(${orders.fields} -> ${field} ->> ${part}, '')`
    : sql`nullif(case when jsonb_typeof(${orders.fields} -> ${field}) in ('object', 'array') then null else ${orders.fields} ->> ${field} end, '')`;
}

/**
 * Does a rule's trigger hold for an active order now (the evaluator's triggerHoldsNow), as SQL
 * over the order and its open stage entry: the time triggers' conditions are the pass's own.
 */
/** What String.prototype.trim strips that a stored value may hold (btrim strips only spaces unless told). */
const WHITESPACE = " \t\n\r";

export function triggerHoldsSql(trigger: RuleTrigger, now: Date): SQL {
  switch (trigger.type) {
    case "field_equals": {
      if (!isFieldKey(trigger.field)) return sql`false`;
      const value = comparableValueSql(trigger.field);
      // As matchesRuleValue (values.ts): a choice by its key, text trimmed and case-insensitive.
      const holds = ruleValueOptions(trigger.field).length
        ? sql`${value} = ${normaliseRuleValue(trigger.field, trigger.value) ?? trigger.value}`
        : sql`lower(btrim(${value}, ${WHITESPACE})) = lower(btrim(${trigger.value}, ${WHITESPACE}))`;
      return sql`(${orders.stage} = ${trigger.stage} and ${holds})`;
    }
    case "stage_entered":
      return sql`${orders.stage} = ${trigger.stage}`;
    case "inspection_recorded": {
      const latest = comparableValueSql("qualityCheckResults");
      return sql`(${orders.stage} = ${stageOfField("qualityCheckResults")} and ${trigger.result ? sql`${latest} = ${trigger.result}` : sql`${latest} is not null`})`;
    }
    case "order_event":
      return sql`false`;
    default: {
      const when = timeSql(trigger.type, now).when;
      const watched = triggerStages(trigger);
      return watched ? sql`(${orders.stage} in (${sql.join(watched.map((st) => sql`${st}`), sql`, `)}) and ${when})` : sql`(${when})`;
    }
  }
}

/**
 * Active orders for which one time rule holds and has not fired for its occasion: one set-based
 * query, so a steady state reads nothing. The evaluator still makes the decision.
 */
async function timeCandidates(db: Executor, rule: RuleFacts, now: Date, limit: number) {
  const t = rule.trigger;
  const { when, occasion } = timeSql(t.type as TimeTrigger, now);
  const watched = triggerStages(t);
  const stageFilter = watched ? inArray(orders.stage, watched) : undefined;
  return db
    .select({
      ...triggerFacts,
      assigneeId: stageEntries.assignedTo,
      commenterIds: sql<number[]>`coalesce((select array_agg(distinct ${orderComments.authorId}) from ${orderComments} where ${orderComments.orderId} = ${orders.id}), '{}')`,
    })
    .from(orders)
    .innerJoin(stageEntries, openStageEntry)
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

/**
 * One time rule over every active order in one statement: the orders it holds for and has not
 * fired on, their firings (INSERT … SELECT … ON CONFLICT DO NOTHING on the once key, in order id
 * order, so concurrent passes wait on each other instead of deadlocking), and a notification for
 * each recipient of each firing this statement really inserted. The SQL condition is the
 * evaluator's timeOccasion written over the order's row (tests compare the two); who is told is
 * decided by recipientsFor, once per stage and store, and handed to the statement as a table.
 */
const isPerson = (r: RecipientSpec): r is Extract<RecipientSpec, { kind: "assignee" | "commenters" }> => r.kind === "assignee" || r.kind === "commenters";

async function fireTimeRuleSql(db: Db, rule: RuleFacts, now: Date, lower: readonly RuleFacts[] = []): Promise<{ evaluated: number; fired: number; notified: number }> {
  const t = rule.trigger;
  const { when, occasion } = timeSql(t.type as TimeTrigger, now);
  const watched = triggerStages(t);
  const stageFilter = watched ? sql`and ${orders.stage} in (${sql.join(watched.map((st) => sql`${st}`), sql`, `)})` : sql``;
  const ruleStages = watched ?? stageKeys;
  const byPerson = rule.recipients.filter(isPerson);
  const byRole = rule.recipients.filter((r) => !isPerson(r));
  const roleKeys = new Set<RoleKey>();
  for (const st of ruleStages) for (const r of recipientRoles(byRole, st)) roleKeys.add(r);
  // Anyone named on an order (assignee, commenter) must still be able to read it: every active
  // account with a role is a possible reader. Lower-numbered rules of the same trigger may name
  // anyone too (below).
  const everyone = byPerson.length > 0 || lower.length > 0;
  const accountsList = everyone ? await loadRecipients(db, allRoles) : await loadRecipients(db, [...roleKeys]);
  const storeIds = (await db.select({ id: stores.id }).from(stores)).map((s) => s.id);
  // One alert per recipient per event (tellOnce): whom a lower-numbered rule of the same trigger
  // tells about an order in a stage it watches, this rule leaves out.
  const covered = new Set<string>();
  const coveredPeople: { stage: string; kind: string }[] = [];
  for (const l of lower) {
    const lStages = (triggerStages(l.trigger) ?? stageKeys).filter((st) => ruleStages.includes(st));
    const lByRole = l.recipients.filter((r) => !isPerson(r));
    for (const st of lStages) {
      for (const storeId of storeIds) for (const id of recipientsFor({ recipients: lByRole, storeId, stage: st }, accountsList)) covered.add(`${st}/${storeId}/${id}`);
      for (const p of l.recipients.filter(isPerson)) coveredPeople.push({ stage: st, kind: p.kind });
    }
  }
  const roster: { stage: string; store_id: number; account_id: number }[] = [];
  const readers: { store_id: number; account_id: number }[] = [];
  for (const storeId of storeIds) {
    for (const st of ruleStages) {
      for (const accountId of recipientsFor({ recipients: byRole, storeId, stage: st }, accountsList)) {
        if (!covered.has(`${st}/${storeId}/${accountId}`)) roster.push({ stage: st, store_id: storeId, account_id: accountId });
      }
    }
    if (byPerson.length) for (const a of accountsList) if (mayReadStore(a, storeId)) readers.push({ store_id: storeId, account_id: a.id });
  }
  // The people this rule names, and anyone a lower rule names as a person, are known per order only: left out in SQL.
  const coveredRows = [...covered].map((k) => {
    const [stage, storeId, accountId] = k.split("/");
    return { stage, store_id: Number(storeId), account_id: Number(accountId) };
  });
  const exclusions: SQL[] = [];
  if (byPerson.length && coveredRows.length) {
    exclusions.push(sql`not exists (select 1 from jsonb_to_recordset(${JSON.stringify(coveredRows)}::jsonb) as c(stage text, store_id int, account_id int)
      where c.stage = o.stage::text and c.store_id = o.store_id and c.account_id = t.account_id)`);
  }
  for (const kind of ["assignee", "commenters"] as const) {
    const inStages = [...new Set(coveredPeople.filter((c) => c.kind === kind).map((c) => c.stage))];
    if (!inStages.length) continue;
    const named =
      kind === "assignee"
        ? sql`exists (select 1 from ${stageEntries} se where se.order_id = o.id and se.completed_at is null and se.assigned_to = t.account_id)`
        : sql`exists (select 1 from ${orderComments} oc where oc.order_id = o.id and oc.author_id = t.account_id)`;
    exclusions.push(sql`not (o.stage::text in (${sql.join(inStages.map((st) => sql`${st}`), sql`, `)}) and ${named})`);
  }
  const prefs = await loadPreferences(db, accountsList.map((a) => a.id), [ruleTopic(rule.id)]);
  const email = accountsList.map((a) => {
    const c = emailColumns(a, emailModeFor(prefs, a.id, ruleTopic(rule.id), rule.priority), now);
    return { account_id: a.id, mode: c.emailMode, status: c.emailStatus, next_at: c.emailNextAttemptAt.toISOString() };
  });
  const at = sql`${now.toISOString()}::timestamptz`;
  // What a recipient needs of the order is read through its primary key for each inserted firing
  // (not by joining the two CTEs, which a fresh, unanalysed table can turn into a nested loop).
  const firedOrders = sql`fired f join ${orders} o on o.id = f.order_id`;
  const readable = (accountColumn: SQL) =>
    sql`join jsonb_to_recordset(${JSON.stringify(readers)}::jsonb) as rd(store_id int, account_id int) on rd.account_id = ${accountColumn} and rd.store_id = o.store_id`;
  const person = (spec: "assignee" | "commenters") =>
    spec === "assignee"
      ? sql`select f.id, f.order_id, se.assigned_to from ${firedOrders}
          join ${stageEntries} se on se.order_id = o.id and se.stage = o.stage and se.completed_at is null ${readable(sql`se.assigned_to`)}`
      : sql`select f.id, f.order_id, oc.author_id from ${firedOrders}
          join ${orderComments} oc on oc.order_id = o.id ${readable(sql`oc.author_id`)}`;
  const targets = [
    sql`select f.id, f.order_id, r.account_id from ${firedOrders}
      join jsonb_to_recordset(${JSON.stringify(roster)}::jsonb) as r(stage text, store_id int, account_id int) on r.stage = o.stage::text and r.store_id = o.store_id`,
    ...[...new Set(byPerson.map((p) => p.kind as "assignee" | "commenters"))].map(person),
  ];
  const result = await db.execute(sql`
    with cand as materialized (
      select ${orders.id} as order_id, ${occasion} as occasion
      from ${orders}
      join ${stageEntries} on ${stageEntries.orderId} = ${orders.id} and ${stageEntries.stage} = ${orders.stage} and ${stageEntries.completedAt} is null
      where ${orders.state} = 'active' ${stageFilter} and ${when}
        and not exists (select 1 from ${ruleFirings} where ${ruleFirings.ruleId} = ${rule.id} and ${ruleFirings.orderId} = ${orders.id} and ${ruleFirings.occasion} = ${occasion})
    ), fired as (
      insert into ${ruleFirings} (rule_id, order_id, occasion, fired_at)
      select ${rule.id}, order_id, occasion, ${at} from cand order by order_id, occasion
      on conflict do nothing
      returning id, order_id
    ), named (firing_id, order_id, account_id) as (
      ${sql.join(targets, sql` union `)}
    ), targets as (
      select t.firing_id, t.order_id, t.account_id from named t
      ${exclusions.length ? sql`join ${orders} o on o.id = t.order_id where ${sql.join(exclusions, sql` and `)}` : sql``}
    ), made as (
      insert into ${notifications} (firing_id, account_id, order_id, message, priority, created_at, email_mode, email_status, email_next_attempt_at)
      select t.firing_id, t.account_id, t.order_id, ${rule.message}, ${rule.priority}, ${at}, e.mode, e.status, e.next_at
      from targets t join jsonb_to_recordset(${JSON.stringify(email)}::jsonb) as e(account_id int, mode text, status text, next_at timestamptz) on e.account_id = t.account_id
      on conflict do nothing
      returning 1
    )
    select (select count(*) from cand)::int as evaluated, (select count(*) from fired)::int as fired, (select count(*) from made)::int as notified`);
  const [row] = rowsOf<{ evaluated: number; fired: number; notified: number }>(result);
  return { evaluated: Number(row.evaluated), fired: Number(row.fired), notified: Number(row.notified) };
}

/** A time rule whose message names the order's values: the evaluator in batches, messages filled in per order. */
async function fireTimeRuleInBatches(db: Db, rule: RuleFacts, now: Date, lower: readonly RuleFacts[] = []) {
  const totals = { evaluated: 0, fired: 0, notified: 0 };
  for (;;) {
    const candidates = await timeCandidates(db, rule, now, TIME_BATCH);
    totals.evaluated += candidates.length;
    const people = new Map(candidates.map((c) => [c.id, { assigneeId: c.assigneeId, commenterIds: c.commenterIds.map(Number) }]));
    const firings = evaluateTimeRules([rule], candidates, now, (id) => people.get(id)!);
    if (firings.length) {
      // The same events by lower-numbered rules tell first (recorded by their own statements).
      const covering = evaluateTimeRules(lower, candidates, now, (id) => people.get(id)!);
      const recipients = await loadRecipientsFor(db, [...firings, ...covering]);
      const done = await db.transaction((tx) => recordFirings(tx, firings, recipients, now, covering));
      totals.fired += done.fired;
      totals.notified += done.notified;
    }
    // A short batch means everything outstanding was seen. Rows a concurrent pass was still
    // inserting are skipped by the conflict clause and excluded from the next query.
    if (candidates.length < TIME_BATCH) break;
  }
  return totals;
}

/**
 * Evaluates the time rules (at risk, overdue, delivery at risk), each in one set-based statement.
 * The rules run side by side (on a server, each on a connection of its own): they write
 * different once keys, so they never wait on each other.
 */
export async function evaluateTimeRulesPass(db: Db, now: Date, types: readonly TimeTrigger[] = timeTriggers) {
  const rules = await enabledRules(db, types);
  const done = await Promise.all(
    rules.map((rule) => {
      const lower = rules.filter((l) => l.id < rule.id && l.trigger.type === rule.trigger.type);
      return hasPlaceholders(rule.message) ? fireTimeRuleInBatches(db, rule, now, lower) : fireTimeRuleSql(db, rule, now, lower);
    }),
  );
  return done.reduce((t, d) => ({ evaluated: t.evaluated + d.evaluated, fired: t.fired + d.fired, notified: t.notified + d.notified }), { evaluated: 0, fired: 0, notified: 0 });
}

/** The card's overdue rules alone (kept for callers and tests that name them). */
export const evaluateOverdueRules = (db: Db, now: Date) => evaluateTimeRulesPass(db, now, ["stage_overdue"]);

/** `signal`: the process is stopping; the pass ends promptly, handing back what it claimed. */
export type RunOptions = { db: Db; now?: Date; mailer?: Mailer; budgetMs?: number; signal?: AbortSignal };

/** One pass: evaluate the time rules, then deliver every email that is due. Safe to run concurrently. */
export async function runAutomations(options: RunOptions): Promise<RunSummary> {
  const started = Date.now();
  const now = options.now ?? new Date();
  const evaluated = await evaluateTimeRulesPass(options.db, now);
  const delivered = await deliverPendingEmails(options.db, { now: options.now, mailer: options.mailer, budgetMs: options.budgetMs, signal: options.signal });
  // The webhook outbox (decision 019): whatever the after-commit send missed or must retry.
  // What is left of the cron function's minute (maxDuration 60 s) after the emails, at least 5 s.
  const webhooks = await deliverWebhooks(options.db, { now: options.now, mailer: options.mailer, budgetMs: Math.max(5_000, (options.budgetMs ?? 50_000) - (Date.now() - started)) });
  await pruneIdempotencyKeys(options.db, now);
  await tidyFiles(options.db, now);
  return { ...evaluated, ...delivered, webhooks, ...(await retention(options.db, now, options.signal)) };
}

/** Retention rides on the pass's schedule (lib/operations/retention.ts); a failure there never fails the pass. */
async function retention(db: Db, now: Date, signal?: AbortSignal): Promise<{ pruned?: RetentionSummary }> {
  if (signal?.aborted) return {};
  try {
    const pruned = await pruneOldRows(db, now);
    return pruned.readAlerts || pruned.throttle || pruned.mailbox || pruned.firings ? { pruned } : {};
  } catch (error) {
    reportUnexpected("retention", error);
    return {};
  }
}
