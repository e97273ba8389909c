import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { stores } from "@/db/schema";
import { rebuildOrderCounts } from "@/lib/orders/counts";
import { rebuildCapacityLoad } from "@/lib/planning/load";
import { stageKeys, stages } from "@/lib/workflow";

/**
 * `count` active orders for the benchmark, in one set-based statement (generate_series): spread
 * over the stages and stores, entered over the last ten days, so some are overdue and some not;
 * one in fifty of those in Receiving by Dispatch on hold. Each gets its open stage entry, and its
 * due and risk times stored (the fixed targets: these stores keep no calendar). They
 * have the fields their stage needs to be listed, not a story: the demo's live orders are those.
 */
export async function seedActiveOrders(db: Db, count: number, now = new Date()) {
  if (count <= 0) return 0;
  const storeIds = (await db.select({ id: stores.id }).from(stores).orderBy(stores.id)).map((s) => s.id);
  const stageList = sql.raw(`array[${stageKeys.map((k) => `'${k}'`).join(",")}]`);
  const dueMs = sql.raw(`case stage ${stages.map((s) => `when '${s.key}' then ${s.target.dueAfterMs}`).join(" ")} end`);
  const riskMs = sql.raw(`case stage ${stages.map((s) => `when '${s.key}' then ${s.target.riskAfterMs}`).join(" ")} end`);
  await db.execute(sql`
    with g as (
      select i,
        (${sql.raw(`array[${storeIds.join(",")}]`)})[1 + (i * 7) % ${storeIds.length}] as store_id,
        (${stageList})[1 + (i * 13) % ${stageKeys.length}] as stage,
        ${now.toISOString()}::timestamptz - interval '1 second' * ((i::bigint * 7919) % 864000) as entered
      from generate_series(1, ${count}::int) i
    ), o as (
      insert into orders (store_id, stage, state, stage_entered_at, stage_due_at, stage_risk_at, fields, product_summary, required_delivery_date, created_at, submitted_at)
      select store_id, stage,
        case when stage = 'dispatchReceiving' and i % 50 = 0 then 'onHold' else 'active' end,
        entered, entered + interval '1 millisecond' * ${dueMs}, entered + interval '1 millisecond' * ${riskMs},
        jsonb_build_object('productSpecifications', 'Bulk order ' || i || ': oak display shelf, 120 x 40 cm', 'orderQuantity', 1 + i % 20,
          'requiredDeliveryDate', to_char(entered + interval '14 days', 'YYYY-MM-DD'))
          -- In production, and half of those being planned, with a Production Schedule of 1 to 8 days: the capacity load.
          || case when stage = 'inProduction' or (stage = 'dispatchReceiving' and i % 2 = 0) then jsonb_build_object('productionSchedule', jsonb_build_object(
            'start', to_char(entered, 'YYYY-MM-DD'), 'end', to_char(entered + interval '1 day' * (i % 8), 'YYYY-MM-DD'), 'confirmed', true)) else '{}'::jsonb end,
        'Bulk order ' || i || ': oak display shelf, 120 x 40 cm', (entered + interval '14 days')::date,
        entered - interval '1 day', case when stage = 'storeOrder' then null else entered - interval '20 hours' end
      from g
      returning id, stage, stage_entered_at, stage_due_at
    )
    insert into stage_entries (order_id, stage, entered_at, due_at)
    select id, stage, stage_entered_at, stage_due_at from o`);
  await db.execute(sql`vacuum (analyze) orders, stage_entries`);
  // They bypassed the commands that keep the counters.
  await rebuildCapacityLoad(db);
  await rebuildOrderCounts(db);
  return count;
}
