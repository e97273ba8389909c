import "server-only";
import { and, arrayOverlaps, eq, isNull, lte, sql } from "drizzle-orm";
import type { Db, Executor } from "@/db/client";
import { accounts, automationRules, notifications, orders, ruleFirings, stageEntries, storeMembers } from "@/db/schema";
import { accountStoreIds } from "@/lib/auth/accounts";
import type { RoleKey } from "@/lib/workflow";
import { type Firing, type RecipientAccount, type RuleFacts, evaluateOverdue, recipientsFor, STAGE_ENTRY_PREFIX } from "./evaluator";
import { type DeliverySummary, type Mailer, deliverPendingEmails } from "./outbox";

/**
 * The runner applies what the evaluator decides. A firing is claimed with
 * INSERT ... ON CONFLICT DO NOTHING on (rule, order, occasion); only the rows this transaction
 * really inserted get their notifications, in the same transaction. Two passes at once, or one
 * repeated, therefore create each firing and each notification exactly once.
 */

export type RunSummary = { evaluated: number; fired: number; notified: number } & DeliverySummary;

const CHUNK = 1000;
const OVERDUE_BATCH = 2000;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Active accounts holding any of the roles, with their stores. */
export async function loadRecipients(db: Executor, roleKeys: RoleKey[]): Promise<RecipientAccount[]> {
  if (!roleKeys.length) return [];
  const rows = await db
    .select({
      id: accounts.id,
      roles: accounts.roles,
      storeIds: accountStoreIds,
    })
    .from(accounts)
    .leftJoin(storeMembers, eq(storeMembers.accountId, accounts.id))
    .where(and(eq(accounts.active, true), arrayOverlaps(accounts.roles, roleKeys)))
    .groupBy(accounts.id);
  return rows.map((r) => ({ id: r.id, roles: r.roles, storeIds: r.storeIds.map(Number) }));
}

/**
 * Records firings and their notifications (one per recipient). Returns how many firings were new
 * and how many notifications that made. Call inside a transaction.
 */
export async function recordFirings(tx: Executor, firings: Firing[], recipients: readonly RecipientAccount[], now: Date) {
  let fired = 0;
  let notified = 0;
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
      return recipientsFor(f, recipients).map((accountId) => ({
        firingId: row.id,
        accountId,
        orderId: f.orderId,
        message: f.message,
        priority: f.priority,
        createdAt: now,
        emailNextAttemptAt: now,
      }));
    });
    for (const part of chunks(rows, CHUNK)) {
      const made = await tx.insert(notifications).values(part).onConflictDoNothing().returning({ id: notifications.id });
      notified += made.length;
    }
  }
  return { fired, notified };
}

export async function enabledRules(db: Executor, type: RuleFacts["trigger"]["type"]): Promise<RuleFacts[]> {
  return db
    .select({
      id: automationRules.id,
      trigger: automationRules.trigger,
      recipientRole: automationRules.recipientRole,
      message: automationRules.message,
      priority: automationRules.priority,
      enabled: automationRules.enabled,
    })
    .from(automationRules)
    .where(and(eq(automationRules.enabled, true), sql`${automationRules.trigger}->>'type' = ${type}`))
    .orderBy(automationRules.id);
}

/**
 * Active orders past their stage's due time that some enabled overdue rule has not fired for in
 * their current stage entry: one set-based query, so a steady state reads nothing. The evaluator
 * still makes the decision; this only narrows the rows it is given.
 */
async function overdueCandidates(db: Executor, rules: RuleFacts[], now: Date, limit: number) {
  const specs = JSON.stringify(rules.map((r) => ({ id: r.id, stage: r.trigger.type === "stage_overdue" ? (r.trigger.stage ?? null) : null })));
  const occasion = sql`${STAGE_ENTRY_PREFIX} || ${stageEntries.id}`;
  return db
    .select({
      id: orders.id,
      storeId: orders.storeId,
      stage: orders.stage,
      state: orders.state,
      stageDueAt: orders.stageDueAt,
      stageEntryId: stageEntries.id,
    })
    .from(orders)
    .innerJoin(stageEntries, and(eq(stageEntries.orderId, orders.id), eq(stageEntries.stage, orders.stage), isNull(stageEntries.completedAt)))
    .where(
      and(
        eq(orders.state, "active"),
        lte(orders.stageDueAt, now),
        sql`exists (
          select 1 from jsonb_to_recordset(${specs}::jsonb) as r(id int, stage text)
          where (r.stage is null or r.stage = ${orders.stage})
            and not exists (
              select 1 from ${ruleFirings}
              where ${ruleFirings.ruleId} = r.id and ${ruleFirings.orderId} = ${orders.id} and ${ruleFirings.occasion} = ${occasion}
            )
        )`,
      ),
    )
    .orderBy(orders.id)
    .limit(limit);
}

/** Evaluates the time rules over every overdue order, in batches, each batch in one transaction. */
export async function evaluateOverdueRules(db: Db, now: Date) {
  const totals = { evaluated: 0, fired: 0, notified: 0 };
  const rules = await enabledRules(db, "stage_overdue");
  if (!rules.length) return totals;
  const recipients = await loadRecipients(db, [...new Set(rules.map((r) => r.recipientRole))]);
  for (;;) {
    const candidates = await overdueCandidates(db, rules, now, OVERDUE_BATCH);
    totals.evaluated += candidates.length;
    const firings = evaluateOverdue(rules, candidates, now);
    if (firings.length) {
      const done = await db.transaction((tx) => recordFirings(tx, firings, recipients, now));
      totals.fired += done.fired;
      totals.notified += done.notified;
    }
    // A short batch means everything outstanding was seen. Rows a concurrent pass was still
    // inserting are skipped by the conflict clause and excluded from the next query.
    if (candidates.length < OVERDUE_BATCH) break;
  }
  return totals;
}

export type RunOptions = { db: Db; now?: Date; mailer?: Mailer; budgetMs?: number };

/** One pass: evaluate the time rules, then deliver every email that is due. Safe to run concurrently. */
export async function runAutomations(options: RunOptions): Promise<RunSummary> {
  const now = options.now ?? new Date();
  const evaluated = await evaluateOverdueRules(options.db, now);
  const delivered = await deliverPendingEmails(options.db, { now: options.now, mailer: options.mailer, budgetMs: options.budgetMs });
  return { ...evaluated, ...delivered };
}
