/**
 * `tsx tests/e2e/prepare-db.ts <data dir> <orders file>`: makes the embedded database that the
 * browser suite's server will open: migrated, seeded with the demo, and holding the orders of
 * prepared-orders.ts, each taken to its stage through the real commands by the demo accounts.
 * Writes the orders (id, number, path by spec and name) to the orders file as JSON.
 *
 * Runs before `next start` and closes the database before it exits: PGlite is single-process.
 * Reads the server's environment (MAKELINE_ALLOW_DEMO for the demo accounts, APP_URL for the
 * links in the emails it delivers).
 */
import { seededFailReasons } from "../fixtures";
import { writeFileSync } from "node:fs";
import { openPglite } from "@/db/client";
import { demoActor, seedDemo } from "@/lib/demo/seed";
import { driveOrder } from "@/lib/demo/orders";
import { deliverPendingEmails } from "@/lib/email/outbox";
import { completeStage, recordInspection, saveFields } from "@/lib/orders/commands";
import type { Result } from "@/lib/result";
import { formatOrderNumber, stageKeys } from "@/lib/workflow";
import { createAccount } from "@/lib/account-admin/commands";
import { createRule, updateRule } from "@/lib/rule-admin/commands";
import { setCapacity } from "@/lib/planning/commands";
import { CAPACITY_PER_DAY, PREPARED_PASSWORD, type OrderRef, type PreparedOrder, type ProjectName, preparedAccounts, preparedOrders, projects } from "./prepared-orders";

const [dataDir, ordersFile] = process.argv.slice(2);
if (!dataDir || !ordersFile) {
  console.error("usage: tsx tests/e2e/prepare-db.ts <data dir> <orders file>");
  process.exit(2);
}

// Each earlier stage took a quarter of an hour, so the order entered its stage just now: in the
// past (as every entry the server shows), and far from due.
const STAGE_HOURS = 0.25;
const HOUR = 3600_000;

function must<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`Refused: ${JSON.stringify(result)}`);
  return result;
}

const conn = await openPglite(dataDir);
try {
  const db = conn.db;
  await seedDemo(db);

  async function prepare(plan: PreparedOrder, project: ProjectName): Promise<OrderRef> {
    const earlier = stageKeys.indexOf(plan.stage);
    const schedule = plan.schedule ? { dispatchReceiving: { ...plan.values?.dispatchReceiving, productionSchedule: { ...plan.schedule(project), confirmed: true } } } : {};
    let order = await driveOrder(db, {
      storeCode: plan.store,
      to: plan.stage,
      specifications: plan.specifications,
      quantity: plan.quantity,
      startedAt: new Date(Date.now() - earlier * STAGE_HOURS * HOUR),
      stageHours: Object.fromEntries(stageKeys.map((k) => [k, STAGE_HOURS])),
      values: { ...plan.values, ...schedule },
    });
    if (plan.notFeasible) {
      const ctx = { db, actor: await demoActor(db, "dispatch@example.com") };
      const values = { orderFeasibility: { decision: "notFeasible", reason: plan.notFeasible } };
      order = must(await saveFields(ctx, { orderId: order.id, version: order.version, values })).order;
      order = must(await completeStage(ctx, { orderId: order.id, version: order.version, confirmOpenTodos: true })).order;
      if (order.state !== "onHold") throw new Error(`Order ${order.id} is ${order.state}, not on hold`);
    }
    if (plan.inspection) {
      const ctx = { db, actor: await demoActor(db, "qc@example.com") };
      order = must(await recordInspection(ctx, { orderId: order.id, version: order.version, qualityCheckResults: plan.inspection, failReasons: plan.inspection.result === "fail" ? [seededFailReasons.dimensions] : [] })).order;
    }
    return { id: order.id, number: formatOrderNumber(order.id), path: `/orders/${order.id}` };
  }

  const admin = { db, actor: await demoActor(db, "admin@example.com") };
  // The shop's capacity (capacity.spec.ts), from today: no other journey plans near it in a day.
  must(await setCapacity(admin, { effectiveFrom: new Date().toISOString().slice(0, 10), unitsPerDay: String(CAPACITY_PER_DAY) }));
  for (const account of Object.values(preparedAccounts)) {
    must(await createAccount(admin, { ...account, roles: [...account.roles], storeIds: [], password: PREPARED_PASSWORD }));
  }

  // Rule entries for the audit log's page check: a rule made, then changed. Disabled, so it never
  // fires on the orders the journeys drive.
  const courier = { name: "E2E pages: courier shipments", message: "{order} goes out by courier", priority: "normal", triggerType: "field_equals", triggerField: "shipmentMethod", triggerValue: "courier" };
  const { rule } = must(await createRule(admin, { ...courier, recipients: ["storeManagers"] }));
  must(await updateRule(admin, { ...courier, ruleId: String(rule.id), recipients: ["storeManagers", "role:dispatchTeam"] }));

  const made: Record<string, Record<string, Record<string, OrderRef>>> = {};
  for (const project of projects) {
    made[project] = {};
    for (const [spec, plans] of Object.entries(preparedOrders)) {
      made[project][spec] = {};
      for (const [name, plan] of Object.entries(plans)) made[project][spec][name] = await prepare(plan as PreparedOrder, project);
    }
  }
  // The not-feasible alerts' emails, into the dev mailbox as the server would send them.
  await deliverPendingEmails(db);
  writeFileSync(ordersFile, JSON.stringify(made, null, 2));
} finally {
  await conn.close();
}
