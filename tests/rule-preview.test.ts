import { afterAll, beforeAll, expect, test } from "vitest";
import { eq, sql } from "drizzle-orm";
import type { Connection } from "@/db/client";
import { openStageEntry, triggerFacts } from "@/db/queries/automation";
import { type RuleTrigger, orders, stageEntries } from "@/db/schema";
import { triggerHoldsNow } from "@/lib/automation/evaluator";
import { PREVIEW_FIRST, PREVIEW_KEPT_MS, keptRulePreviews, rulePreviews } from "@/lib/automation/preview";
import { seedActiveOrders } from "@/lib/demo/active";
import { seedDemo } from "@/lib/demo/seed";
import { fields, stageKeys } from "@/lib/workflow";
import { testDatabase } from "./database";

/**
 * The rules page's preview counts in SQL (the runner's trigger conditions); the pure evaluator's
 * triggerHoldsNow is the definition. On generated active orders (every stage, due and risk times
 * either side of now, delivery dates either side of the projection, some on hold, field values
 * of every kind), every trigger type over every stage and field must give the evaluator's count
 * and its first orders, soonest due first.
 */

let conn: Connection;
const now = new Date();

beforeAll(async () => {
  conn = await testDatabase();
  await seedDemo(conn.db);
  await seedActiveOrders(conn.db, 1500, now);
  // Field values of every kind, and delivery dates from long past to far ahead (some none).
  await conn.db.execute(sql`
    update orders set
      fields = fields || jsonb_build_object(
        'orderFeasibility', jsonb_build_object('decision', case when id % 3 = 0 then 'notFeasible' else 'feasible' end, 'reason', 'r'),
        'productionStatus', (array['notStarted', 'inProgress', 'onHold', 'done'])[1 + id % 4],
        'completionPercentage', id % 101,
        'qualityCheckResults', jsonb_build_object('result', case when id % 5 = 0 then 'fail' else 'pass' end, 'notes', ''),
        'customerFeedback', jsonb_build_object('rating', 1 + id % 5, 'comment', ''),
        'receiptConfirmation', jsonb_build_object('confirmedBy', case when id % 2 = 0 then 'Sam' else 'Nora' end),
        'productionSchedule', jsonb_build_object('start', '2026-01-0' || (1 + id % 9), 'end', '2026-02-01', 'confirmed', id % 2 = 0),
        'shipmentMethod', (array['courier', 'freight', 'ownFleet', 'storePickup'])[1 + id % 4],
        'specialRequirements', case when id % 6 = 0 then '' else 'Gloss ' || (id % 3) end),
      required_delivery_date = case when id % 13 = 0 then null else current_date + (id % 40) - 12 end
    where state = 'active'`);
});
afterAll(() => conn?.close());

/** Every trigger the rule form can make, with values that occur in the data and some that do not. */
function triggers(): RuleTrigger[] {
  const out: RuleTrigger[] = [{ type: "delivery_at_risk" }, { type: "stage_at_risk" }, { type: "stage_overdue" }];
  for (const stage of stageKeys) out.push({ type: "stage_entered", stage }, { type: "stage_at_risk", stage }, { type: "stage_overdue", stage });
  // Watching several stages (the card's escalation); inspections; hand-offs (never "now").
  out.push({ type: "stage_overdue", stages: ["dispatchReceiving", "inProduction"] }, { type: "stage_at_risk", stages: ["storeOrder", "storeReceived"] });
  out.push({ type: "inspection_recorded" }, { type: "inspection_recorded", result: "fail" }, { type: "inspection_recorded", result: "pass" }, { type: "order_event", event: "cancelled" });
  const values: Record<string, string[]> = {
    orderFeasibility: ["notFeasible", "feasible", "Not feasible"],
    productionStatus: ["onHold", "done", "notStarted"],
    completionPercentage: ["0", "50", "100"],
    qualityCheckResults: ["fail", "pass"],
    customerFeedback: ["1", "5"],
    receiptConfirmation: ["Sam"],
    productionSchedule: ["2026-01-03"],
    // A label or another case, as rules stored before values were normalised may hold them.
    shipmentMethod: ["courier", "storePickup", "Courier", " Store pickup "],
    specialRequirements: ["Gloss 1", "", " gloss 1 ", "GLOSS 2"],
    productSpecifications: ["Bulk order 7: oak display shelf, 120 x 40 cm"],
    orderQuantity: ["3", "20"],
  };
  for (const f of fields) {
    for (const value of values[f.key] ?? ["anything"]) {
      for (const stage of stageKeys) out.push({ type: "field_equals", stage, field: f.key, value });
    }
  }
  return out;
}

test("the preview's count and first orders equal the evaluator's, for every trigger", async () => {
  const facts = await conn.db
    .select({ ...triggerFacts, fields: orders.fields })
    .from(orders)
    .innerJoin(stageEntries, openStageEntry)
    .where(eq(orders.state, "active"));
  expect(facts.length).toBeGreaterThan(1500);
  const rules = triggers().map((trigger, i) => ({ id: i + 1, trigger }));
  const previews = await rulePreviews(conn.db, rules, now);
  let firing = 0;
  for (const rule of rules) {
    const holding = facts
      .filter((o) => triggerHoldsNow(rule.trigger, o, now))
      .sort((a, b) => a.stageDueAt.getTime() - b.stageDueAt.getTime() || a.id - b.id);
    const preview = previews.get(rule.id)!;
    expect({ trigger: rule.trigger, count: preview.count, first: preview.first }).toEqual({
      trigger: rule.trigger,
      count: holding.length,
      first: holding.slice(0, PREVIEW_FIRST).map((o) => o.id),
    });
    if (holding.length > 0) firing++;
  }
  // The data makes most triggers hold for some orders and some for none.
  expect(firing).toBeGreaterThan(rules.length / 2);
  expect(firing).toBeLessThan(rules.length);
});

test("the page's previews are kept a minute for the same triggers, counted anew after it or for an edited trigger", async () => {
  const rules = [{ id: 1, trigger: { type: "stage_entered", stage: "storeOrder" } as RuleTrigger }];
  const t0 = new Date();
  const first = await keptRulePreviews(conn.db, rules, t0);
  await seedActiveOrders(conn.db, 50, t0);
  const soon = await keptRulePreviews(conn.db, rules, new Date(t0.getTime() + PREVIEW_KEPT_MS / 2));
  expect(soon).toEqual(first);
  const fresh = await rulePreviews(conn.db, rules, t0);
  expect(fresh.get(1)!.count).toBeGreaterThan(first.previews.get(1)!.count);
  const later = new Date(t0.getTime() + PREVIEW_KEPT_MS);
  expect(await keptRulePreviews(conn.db, rules, later)).toEqual({ previews: fresh, countedAt: later });
  const edited = [{ id: 1, trigger: { type: "stage_entered", stage: "inProduction" } as RuleTrigger }];
  expect((await keptRulePreviews(conn.db, edited, new Date(t0.getTime() + 1000))).previews).toEqual(await rulePreviews(conn.db, edited, t0));
});
