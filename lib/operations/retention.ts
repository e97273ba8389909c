import "server-only";
import { sql } from "drizzle-orm";
import { type Db, rowsOf } from "@/db/client";
import { THROTTLE } from "@/lib/auth/throttle";
import { env } from "@/lib/env";

/**
 * What is pruned, on the automation pass's schedule (runAutomations), so tables that only grow
 * stay bounded. Each kind is deleted in batches, a bounded number per pass, oldest first:
 *
 * - read alerts older than MAKELINE_KEEP_READ_ALERTS_DAYS (90), whose email is settled (sent,
 *   failed or skipped): unread ones are kept, whatever their age;
 * - sign-in throttle rows whose window and lock have both run out (they count nothing any more);
 * - development mailbox rows older than MAKELINE_KEEP_MAILBOX_DAYS (30);
 * - rule firings older than MAKELINE_KEEP_FIRINGS_DAYS (365) of orders that are completed or
 *   cancelled, once none of their alerts is left: a firing is the "fired once" key, and an order
 *   that is no longer active can never fire again, so its keys are no longer needed. Firings of
 *   active or on-hold orders are kept, or a rule would fire again.
 *
 * The audit log and order history are kept: they are the record (append-only by trigger).
 */
export type RetentionSummary = { readAlerts: number; throttle: number; mailbox: number; firings: number };

const BATCH = 5_000;
const MAX_BATCHES = 20;
const DAY_MS = 86_400_000;

export type KeepDays = { readAlerts: number; mailbox: number; firings: number };

export const keepDaysFromEnv = (): KeepDays => {
  const e = env();
  return { readAlerts: e.MAKELINE_KEEP_READ_ALERTS_DAYS, mailbox: e.MAKELINE_KEEP_MAILBOX_DAYS, firings: e.MAKELINE_KEEP_FIRINGS_DAYS };
};

export async function pruneOldRows(db: Db, now = new Date(), keep: KeepDays = keepDaysFromEnv()): Promise<RetentionSummary> {
  const before = (days: number) => sql`${new Date(now.getTime() - days * DAY_MS).toISOString()}::timestamptz`;
  const at = sql`${now.toISOString()}::timestamptz`;
  const windowStart = sql`${new Date(now.getTime() - THROTTLE.windowMs).toISOString()}::timestamptz`;
  return {
    readAlerts: await inBatches(
      db,
      sql`delete from notifications where id in (select id from notifications where read_at < ${before(keep.readAlerts)}
        and email_status in ('sent', 'failed', 'skipped') limit ${BATCH})`,
    ),
    throttle: await inBatches(
      db,
      sql`delete from sign_in_throttle where key in (select key from sign_in_throttle where window_started_at <= ${windowStart}
        and (locked_until is null or locked_until <= ${at}) limit ${BATCH})`,
    ),
    mailbox: await inBatches(db, sql`delete from dev_mailbox where id in (select id from dev_mailbox where created_at < ${before(keep.mailbox)} order by id limit ${BATCH})`),
    firings: await inBatches(
      db,
      sql`delete from rule_firings where id in (select f.id from rule_firings f join orders o on o.id = f.order_id
        where f.fired_at < ${before(keep.firings)} and o.state in ('completed', 'cancelled')
        and not exists (select 1 from notifications n where n.firing_id = f.id) limit ${BATCH})`,
    ),
  };
}

async function inBatches(db: Db, statement: ReturnType<typeof sql>): Promise<number> {
  let total = 0;
  for (let i = 0; i < MAX_BATCHES; i++) {
    const result = await db.execute(sql`with gone as (${statement} returning 1) select count(*)::int as n from gone`);
    const n = Number(rowsOf<{ n: number }>(result)[0].n);
    total += n;
    if (n < BATCH) break;
  }
  return total;
}
