import { loadavg } from "node:os";
import { eq, sql } from "drizzle-orm";
import type { Connection } from "@/db/client";
import { rowsOf } from "@/db/client";
import { listDeliveries, listApiKeys } from "@/db/queries/api-admin";
import { listOrders, orderDetail } from "@/db/queries/orders";
import { orderListSchema } from "@/lib/orders/filters";
import { apiKeys, webhookEndpoints } from "@/db/schema";
import { createApiKey } from "@/lib/api/key-commands";
import { type ApiRoute, runApiRoute } from "@/lib/api/route";
import { createOrderRoute, getOrderRoute, listOrdersRoute } from "@/lib/api/routes";
import { demoActor } from "@/lib/demo/seed";
import { createOrder } from "@/lib/orders/commands";
import { createWebhookEndpoint } from "@/lib/webhooks/commands";
import { deliverWebhooks } from "@/lib/webhooks/deliver";
import { formatOrderNumber } from "@/lib/workflow";
import { startReceiver } from "@/tests/webhook-receiver";
import { ms, timePair } from "./timing";

/**
 * The API and webhook cases of `npm run bench` (issue 20), called by bench/run.ts:
 * - the API's list, read and create through the whole route wrapper (key, limit, parsing, audit),
 *   each next to the page's own query or command for the same thing;
 * - webhook throughput: deliveries a second from the outbox to a receiver on 127.0.0.1;
 * - the webhook endpoint page's delivery log at 100,000 deliveries (first page, deep page, filter).
 */

// The bench's receiver is on 127.0.0.1 over http; lib/env.ts reads this once, so it is set on import.
process.env.MAKELINE_WEBHOOKS_ALLOW_PRIVATE = "1";

export type ApiBenchRow = { group: string; name: string; p50: number; p95: number; floor?: number; target?: string; extra?: string };

export async function measureApi(conn: Connection, out: ApiBenchRow[], { runs }: { runs: number }) {
  const db = conn.db;
  const show = (r: ApiBenchRow) => (out.push(r), console.log(`  ${r.group} · ${r.name}: p50 ${ms(r.p50)}, p95 ${ms(r.p95)}${r.floor === undefined ? "" : `, page's own ${ms(r.floor)}`}${r.extra ? ` (${r.extra})` : ""}`));
  const admin = await demoActor(db, "admin@example.com");
  const [ops, south] = await Promise.all([demoActor(db, "ops@example.com"), demoActor(db, "store.south@example.com")]);
  const keyOf = async (accountId: number, name: string) => {
    const made = await createApiKey({ db, actor: admin }, { accountId, name });
    if (!made.ok) throw new Error("bench: no API key");
    // The bench is not what the per-key limit is for.
    await db.update(apiKeys).set({ rateLimitPerMinute: 1_000_000 }).where(eq(apiKeys.id, made.key.id));
    return made;
  };
  const [opsKey, southKey] = [await keyOf(ops.id, "Bench ops"), await keyOf(south.id, "Bench south")];
  const call = async (route: ApiRoute, key: string, path: string, params: Record<string, string> = {}, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await runApiRoute(route, new Request(`http://bench.local/api/v1${path}`, { method: route.method, headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}), ...headers }, body: body ? JSON.stringify(body) : undefined }), params, { db });
    if (response.status >= 300) throw new Error(`bench: ${route.method} ${path} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
    return response.text();
  };
  try {
    for (const [name, actor, key, query] of [
      ["ops queue, page 1", ops, opsKey.secret, {}],
      ["store manager queue", south, southKey.secret, {}],
      ["ops, all orders, newest", ops, opsKey.secret, { view: "all", sort: "new" }],
    ] as const) {
      const qs = new URLSearchParams(query as Record<string, string>).toString();
      const parsed = orderListSchema.parse(query);
      const [api, page] = await timePair(() => call(listOrdersRoute, key, `/orders${qs ? `?${qs}` : ""}`), () => listOrders(db, actor, parsed, new Date(), { count: false }), runs);
      show({ group: "API", name: `GET /orders: ${name}`, ...api, floor: page.p50, target: "≤ page's query + 10 ms" });
    }
    const [{ id }] = rowsOf<{ id: number }>(await db.execute(sql`select id from orders where state = 'active' and store_id = any(${`{${south.storeIds.join(",")}}`}::int[]) order by id desc limit 1`));
    const [read, detail] = await timePair(() => call(getOrderRoute, southKey.secret, `/orders/${formatOrderNumber(id)}`, { number: formatOrderNumber(id) }), () => orderDetail(db, id), runs);
    show({ group: "API", name: "GET /orders/{number}", ...read, floor: detail.p50, target: "≤ page's query + 10 ms" });

    const body = (i: number) => ({ storeId: south.storeIds[0], productSpecifications: `Bench API order ${i}: oak chair`, orderQuantity: 2, requiredDeliveryDate: new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10) });
    let n = 0;
    const [create, command] = await timePair(
      () => call(createOrderRoute, southKey.secret, "/orders", {}, body(n++), { "Idempotency-Key": `bench-${Date.now()}-${n}` }),
      () => createOrder({ db, actor: south }, body(n++)),
      runs,
    );
    show({ group: "API", name: "POST /orders (with Idempotency-Key)", ...create, floor: command.p50, target: "≤ command + 15 ms", extra: "next to the create command the page's action calls" });

    await measureWebhooks(conn, show);
    await measureDeliveryLog(conn, show, runs);
    const keys = await timePair(() => listApiKeys(db), () => Promise.resolve(), runs);
    show({ group: "API keys page (query)", name: "all keys", ...keys[0] });
  } finally {
    await db.update(apiKeys).set({ revokedAt: new Date() }).where(sql`${apiKeys.name} like 'Bench %' and ${apiKeys.revokedAt} is null`);
  }
}

/** Deliveries a second: 2,000 order events queued for one endpoint on 127.0.0.1, one pass. */
async function measureWebhooks(conn: Connection, show: (r: ApiBenchRow) => void) {
  const db = conn.db;
  const receiver = await startReceiver();
  const admin = await demoActor(db, "admin@example.com");
  try {
    const e = await createWebhookEndpoint({ db, actor: admin }, { url: receiver.url("/bench"), events: ["order.created"], description: "Bench" });
    if (!e.ok) throw new Error(`bench: no endpoint: ${JSON.stringify(e)}`);
    const count = 2000;
    // Real payloads: the snapshot of recent orders, as the outbox writes them.
    await db.execute(sql`
      insert into webhook_deliveries (endpoint_id, event_type, order_id, payload, give_up_at)
      select ${e.endpoint.id}, 'order.created', o.id,
        jsonb_build_object('type', 'order.created', 'timestamp', now(), 'data', jsonb_build_object('order', jsonb_build_object('number', 'MO-' || lpad(o.id::text, 5, '0'), 'id', o.id, 'version', o.version, 'storeId', o.store_id, 'stage', o.stage, 'state', o.state, 'fields', o.fields))),
        now() + interval '3 days'
      from orders o order by o.id desc limit ${count}`);
    const start = performance.now();
    const summary = await deliverWebhooks(db, { allowPrivate: true, budgetMs: 120_000, concurrency: 16, batchSize: 200 });
    const took = performance.now() - start;
    const rate = summary.delivered / (took / 1000);
    const ids = new Set(receiver.received.map((r) => r.headers["webhook-id"]));
    show({
      group: "webhooks",
      name: `throughput, ${count.toLocaleString("en-GB")} deliveries to 127.0.0.1`,
      p50: took,
      p95: took,
      target: "≥ 100 deliveries/s",
      extra: `${rate.toFixed(0)} deliveries/s; ${summary.delivered} delivered, ${receiver.received.length} received, ${ids.size} ids; load ${loadavg().map((l) => l.toFixed(1)).join(" ")}`,
    });
    await db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, e.endpoint.id));
  } finally {
    await receiver.close();
  }
}

/** The endpoint page's log at 100,000 deliveries: newest page, a page 60 % deep, and failed only. */
async function measureDeliveryLog(conn: Connection, show: (r: ApiBenchRow) => void, runs: number) {
  const db = conn.db;
  const [e] = await db.insert(webhookEndpoints).values({ url: "https://bench.example.com/log", events: ["order.created"], secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", enabled: false }).returning();
  try {
    await db.execute(sql`
      insert into webhook_deliveries (endpoint_id, event_type, payload, created_at, status, attempts, give_up_at, response_status)
      select ${e.id}, 'order.created', '{}'::jsonb, now() - (i || ' seconds')::interval, case when i % 50 = 0 then 'failed' else 'delivered' end, 1, now(), 200
      from generate_series(1, 100000) i`);
    await db.execute(sql`analyze webhook_deliveries`);
    const [deep] = rowsOf<{ at: string; id: string }>(await db.execute(sql`select (extract(epoch from created_at) * 1000000)::bigint::text as at, id from webhook_deliveries where endpoint_id = ${e.id} order by created_at desc, id desc offset 60000 limit 1`));
    const time = async (fn: () => Promise<unknown>) => (await timePair(fn, () => Promise.resolve(), runs))[0];
    show({ group: "webhook log (query)", name: "endpoint page, 100k deliveries, newest", ...(await time(() => listDeliveries(db, e.id, {}))), target: "p95 < 50 ms" });
    show({ group: "webhook log (query)", name: "endpoint page, 100k deliveries, 60 % deep", ...(await time(() => listDeliveries(db, e.id, { before: `${deep.at}.${deep.id}` }))), target: "p95 < 50 ms" });
    show({ group: "webhook log (query)", name: "endpoint page, 100k deliveries, failed only", ...(await time(() => listDeliveries(db, e.id, { status: "failed" }))), target: "p95 < 50 ms" });
  } finally {
    await db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, e.id));
  }
}
