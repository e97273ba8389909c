import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Connection } from "@/db/client";
import { accounts, automationRules, notifications, orderComments, orders, ruleFirings, stageEntries, stores } from "@/db/schema";
import { evaluateTimeRules, recipientsFor, tellOnce } from "@/lib/automation/evaluator";
import { enabledRules, evaluateTimeRulesPass, loadRecipients } from "@/lib/automation/runner";
import { seedBase } from "@/lib/demo/seed";
import { roleKeys, stageKeys, stages } from "@/lib/workflow";
import { testDatabase } from "./database";

/**
 * The pass decides in SQL, one statement per rule; the pure evaluator is the definition. Over
 * orders spread around every stage's risk and due times, delivery dates either side of the
 * projection, on hold or not, assigned or not, commented or not, the pass must fire exactly what
 * evaluateTimeRules decides and tell exactly whom recipientsFor names.
 */

const HOUR = 3600_000;
const now = new Date("2026-06-01T09:00:00.000Z");
let conn: Connection;

beforeAll(async () => {
  conn = await testDatabase();
  await seedBase(conn.db);
});
afterAll(() => conn?.close());

describe("the set-based pass fires what the evaluator decides", () => {
  test("every time trigger and recipient kind, on generated orders", async () => {
    const db = conn.db;
    const storeRows = await db.select({ id: stores.id }).from(stores).orderBy(stores.id);
    const people = await db.select({ id: accounts.id }).from(accounts).orderBy(accounts.id);
    await db.insert(automationRules).values([
      { key: "t-delivery", name: "Delivery at risk", trigger: { type: "delivery_at_risk" }, recipients: [{ kind: "storeManagers" }, { kind: "assignee" }, { kind: "commenters" }], message: "Delivery at risk", priority: "high" },
      { key: "t-risk-prod", name: "Risk in production", trigger: { type: "stage_at_risk", stage: "inProduction" }, recipients: [{ kind: "role", role: "qualityControl" }, { kind: "assignee" }], message: "At risk", priority: "low" },
      { key: "t-overdue-people", name: "Overdue to people", trigger: { type: "stage_overdue" }, recipients: [{ kind: "commenters" }, { kind: "stageOwner" }], message: "Overdue" },
      // Late stages, to the stores, dispatch and the assignee: lower-numbered overdue rules
      // (the card's, "Stage overdue", the one above naming commenters) tell some of them first.
      {
        key: "t-overdue-late",
        name: "Overdue late",
        trigger: { type: "stage_overdue", stages: ["dispatching", "storeReceived"] },
        recipients: [{ kind: "storeManagers" }, { kind: "role", role: "dispatchTeam" }, { kind: "assignee" }],
        message: "Overdue late",
      },
    ]);
    let i = 0;
    for (const st of stages) {
      for (const fraction of [0, 0.5, 0.99, 1, 1.01, 1.5, 3]) {
        for (const storeIndex of [0, 1]) {
          i++;
          const enteredAt = new Date(now.getTime() - fraction * st.target.dueAfterMs);
          const dueAt = new Date(enteredAt.getTime() + st.target.dueAfterMs);
          const required = new Date(now.getTime() + ((i % 9) - 1) * 24 * HOUR).toISOString().slice(0, 10);
          const [o] = await db
            .insert(orders)
            .values({ storeId: storeRows[storeIndex].id, stage: st.key, state: i % 11 === 0 ? "onHold" : "active", stageEnteredAt: enteredAt, stageDueAt: dueAt, requiredDeliveryDate: i % 7 === 0 ? null : required, fields: {}, productSummary: `Generated ${i}` })
            .returning({ id: orders.id });
          await db.insert(stageEntries).values({ orderId: o.id, stage: st.key, enteredAt, dueAt, assignedTo: i % 3 === 0 ? people[i % people.length].id : null });
          if (i % 4 === 0) await db.insert(orderComments).values([{ orderId: o.id, authorId: people[(i * 5) % people.length].id, body: "note" }, { orderId: o.id, authorId: people[(i * 3) % people.length].id, body: "note" }]);
        }
      }
    }

    // What the evaluator decides, over the same rows.
    const rules = await enabledRules(db, ["stage_at_risk", "stage_overdue", "delivery_at_risk"]);
    const candidates = await db
      .select({
        id: orders.id, storeId: orders.storeId, stage: orders.stage, state: orders.state, stageEnteredAt: orders.stageEnteredAt, stageDueAt: orders.stageDueAt,
        requiredDeliveryDate: orders.requiredDeliveryDate, stageEntryId: stageEntries.id, assigneeId: stageEntries.assignedTo,
        commenterIds: sql<number[]>`coalesce((select array_agg(distinct ${orderComments.authorId}) from ${orderComments} where ${orderComments.orderId} = ${orders.id}), '{}')`,
      })
      .from(orders)
      .innerJoin(stageEntries, and(eq(stageEntries.orderId, orders.id), isNull(stageEntries.completedAt)));
    const peopleOf = new Map(candidates.map((c) => [c.id, { assigneeId: c.assigneeId, commenterIds: c.commenterIds.map(Number) }]));
    const firings = evaluateTimeRules(rules, candidates, now, (id) => peopleOf.get(id)!);
    const everyone = await loadRecipients(db, roleKeys);
    // One alert per recipient per event: the lowest-numbered rule that names them tells them.
    const told = tellOnce(firings, (f) => recipientsFor(f, everyone));
    const expected = firings.map((f) => `${f.ruleId}/${f.orderId}/${f.occasion} → ${told.get(f)!.join(",")}`).sort();

    const summary = await evaluateTimeRulesPass(db, now);
    const actualRows = await db
      .select({ ruleId: ruleFirings.ruleId, orderId: ruleFirings.orderId, occasion: ruleFirings.occasion, to: sql<number[]>`coalesce(array_agg(${notifications.accountId} order by ${notifications.accountId}) filter (where ${notifications.accountId} is not null), '{}')` })
      .from(ruleFirings)
      .leftJoin(notifications, eq(notifications.firingId, ruleFirings.id))
      .groupBy(ruleFirings.id);
    const actual = actualRows.map((r) => `${r.ruleId}/${r.orderId}/${r.occasion} → ${r.to.map(Number).join(",")}`).sort();

    console.log(`[pass sql] ${candidates.length} orders × ${rules.length} rules: ${summary.fired} firings, ${summary.notified} notifications (evaluator: ${firings.length})`);
    expect(new Set(firings.map((f) => f.ruleId)).size).toBeGreaterThanOrEqual(5);
    expect(firings.some((f) => f.people.assigneeId !== null)).toBe(true);
    expect(actual).toEqual(expected);
    expect(summary.fired).toBe(firings.length);
    expect(summary.notified).toBe(expected.reduce((n, line) => n + (line.split(" → ")[1] ? line.split(" → ")[1].split(",").length : 0), 0));
    expect(stageKeys.length).toBe(5);

    // A second pass fires nothing.
    expect(await evaluateTimeRulesPass(db, now)).toMatchObject({ fired: 0, notified: 0 });
  }, 60_000);
});
