import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Connection, rowsOf } from "@/db/client";
import { apiKeys, auditLog, orderComments, orders } from "@/db/schema";
import { createApiKey, revokeApiKey } from "@/lib/api/key-commands";
import { authenticateApiKey, generateApiKey, hashApiKey } from "@/lib/api/keys";
import { setAccountActive } from "@/lib/account-admin/commands";
import { saveFields } from "@/lib/orders/commands";
import { formatOrderNumber } from "@/lib/workflow";
import { apiClient, contract } from "./api-client";
import { testDatabase } from "./database";
import { type Actors, inDays, orderIn, pdfFile, seedActors } from "./fixtures";

/**
 * The API (issue 20) driven as a client would: keys made by an administrator, requests with the
 * key as a bearer token, answers read as JSON or problem details. Every answer is also checked
 * against the OpenAPI document (tests/api-client.ts).
 */

let conn: Connection;
let actors: Actors;
let storeIds: { north: number; south: number };
let call: ReturnType<typeof apiClient>;
const keys: Record<string, string> = {};

async function keyFor(email: string, name = `${email} key`, extra: { expiresOn?: string } = {}) {
  const made = await createApiKey({ db: conn.db, actor: actors["admin@example.com"] }, { accountId: actors[email].id, name, ...extra });
  if (!made.ok) throw new Error(JSON.stringify(made));
  return made.secret;
}

beforeAll(async () => {
  conn = await testDatabase();
  ({ actors, storeIds } = await seedActors(conn.db));
  call = apiClient(conn.db);
  for (const who of ["store.north@example.com", "store.south@example.com", "dispatch@example.com", "production@example.com", "qc@example.com", "ops@example.com"]) keys[who] = await keyFor(who);
});
afterAll(() => conn.close());

const newOrder = { productSpecifications: "Walnut bench, 160 cm, matt lacquer", orderQuantity: 3, requiredDeliveryDate: inDays(30) };

describe("keys", () => {
  test("a key is ml_live_ and 43 random characters; only its keyed hash is stored, with a prefix to recognise it", async () => {
    const secret = await keyFor("store.north@example.com", "Web shop");
    expect(secret).toMatch(/^ml_live_[A-Za-z0-9_-]{43}$/);
    const [row] = await conn.db.select().from(apiKeys).where(eq(apiKeys.name, "Web shop"));
    expect(row.prefix).toBe(secret.slice(0, 14));
    expect(row.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.secretHash).toBe(hashApiKey(secret));
    // Keyed: not the plain SHA-256 of the secret, so the table alone cannot test a guess.
    const { createHash } = await import("node:crypto");
    expect(row.secretHash).not.toBe(createHash("sha256").update(secret).digest("hex"));
    const dump = rowsOf<Record<string, unknown>>(await conn.db.execute(sql`select row_to_json(k)::text as r from api_keys k`)).map((r) => String(r.r)).join("\n");
    expect(dump).not.toContain(secret.slice(14));
    expect(generateApiKey().secret).not.toBe(generateApiKey().secret);
  });

  test("the key authenticates as its account; one character off, revoked, expired or with the account deactivated, it is a 401", async () => {
    const secret = await keyFor("production@example.com", "MES");
    expect((await call("GET", "/me", { key: secret })).json).toMatchObject({ account: { email: "production@example.com", roles: ["productionTeam"] }, key: { name: "MES", prefix: secret.slice(0, 14) } });
    const flipped = secret.slice(0, -1) + (secret.endsWith("A") ? "B" : "A");
    const wrong = await call("GET", "/me", { key: flipped });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await call("GET", "/me")).status).toBe(401);

    const [row] = await conn.db.select().from(apiKeys).where(eq(apiKeys.name, "MES"));
    expect(row.lastUsedAt).not.toBeNull();
    await revokeApiKey({ db: conn.db, actor: actors["admin@example.com"] }, { keyId: row.id });
    const revoked = await call("GET", "/me", { key: secret });
    expect(revoked.status).toBe(401);
    expect(revoked.json).toMatchObject({ detail: "This API key was revoked" });

    const expiring = await keyFor("production@example.com", "Expiring", { expiresOn: inDays(0) });
    expect((await call("GET", "/me", { key: expiring })).status).toBe(200);
    expect((await authenticateApiKey(conn.db, `Bearer ${expiring}`, new Date(Date.now() + 2 * 86_400_000))).ok).toBe(false);

    const qcKey = await keyFor("qc@example.com", "QC tablet");
    expect((await call("GET", "/me", { key: qcKey })).status).toBe(200);
    const off = await setAccountActive({ db: conn.db, actor: actors["admin@example.com"] }, { accountId: actors["qc@example.com"].id, active: "false", confirmed: "on" });
    expect(off.ok).toBe(true);
    const inactive = await call("GET", "/me", { key: qcKey });
    expect(inactive.status).toBe(401);
    expect(inactive.json).toMatchObject({ detail: "The account of this API key is deactivated" });
    await setAccountActive({ db: conn.db, actor: actors["admin@example.com"] }, { accountId: actors["qc@example.com"].id, active: "true" });
  });
});

describe("scope: a key does what its account may, and no more", () => {
  test("a North key reading a South order gets the same 404 as for no order; its list holds North orders only", async () => {
    const south = await orderIn(conn.db, { storeCode: "south", to: "dispatchReceiving" });
    const north = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving" });
    const k = keys["store.north@example.com"];
    const other = await call("GET", `/orders/${formatOrderNumber(south.id)}`, { key: k });
    const missing = await call("GET", "/orders/MO-99999", { key: k });
    expect(other.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(other.headers.get("content-type")).toBe("application/problem+json");
    expect((await call("GET", `/orders/${formatOrderNumber(north.id)}`, { key: k })).status).toBe(200);
    expect((await call("GET", `/orders/${formatOrderNumber(south.id)}`, { key: keys["store.south@example.com"] })).status).toBe(200);
    // Writing to it is the same 404: nothing is said about another store's order.
    const comment = await call("POST", `/orders/${formatOrderNumber(south.id)}/comments`, { key: k, body: { body: "Peeking" } });
    expect(comment.status).toBe(404);
    const list = await call("GET", "/orders?view=all", { key: k });
    const rows = (list.json as { data: { storeId: number }[] }).data;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.storeId === storeIds.north)).toBe(true);
    const stores = (await call("GET", "/stores", { key: k })).json as { data: { id: number }[] };
    expect(stores.data.map((s) => s.id)).toEqual([storeIds.north]);
  });

  test("a read-only ops key reads everything and can write nothing: each write is a 403 and the order is unchanged", async () => {
    const o = await orderIn(conn.db, { storeCode: "north", to: "storeOrder" });
    const k = keys["ops@example.com"];
    const number = formatOrderNumber(o.id);
    expect((await call("GET", `/orders/${number}`, { key: k })).status).toBe(200);
    const writes = [
      await call("PATCH", `/orders/${number}/stage`, { key: k, body: { version: o.version, fields: { orderQuantity: 9 } } }),
      await call("POST", `/orders/${number}/todos/storeOrder.submitSpecifications`, { key: k, body: { version: o.version, done: true } }),
      await call("POST", `/orders/${number}/complete`, { key: k, body: { version: o.version, confirmOpenTodos: true } }),
      await call("POST", `/orders/${number}/comments`, { key: k, body: { body: "Ops can only read" } }),
      await call("POST", "/orders", { key: k, body: { storeId: storeIds.north, ...newOrder } }),
    ];
    expect(writes.map((w) => w.status)).toEqual([403, 403, 403, 403, 403]);
    for (const w of writes) expect(w.json).toMatchObject({ type: "/api/v1/reference#problem-forbidden", status: 403 });
    const [after] = await conn.db.select().from(orders).where(eq(orders.id, o.id));
    expect(after.version).toBe(o.version);
    expect(await conn.db.select().from(orderComments).where(eq(orderComments.orderId, o.id))).toEqual([]);
  });

  test("a store manager's key cannot create an order for another store", async () => {
    const r = await call("POST", "/orders", { key: keys["store.north@example.com"], body: { storeId: storeIds.south, ...newOrder } });
    expect(r.status).toBe(403);
  });
});

/**
 * The policy through keys: every demo account's key × an order in every stage and state × each
 * order write, each attempt rolled back. A write is refused with 403 (or 404 outside the
 * account's stores) exactly when decide() refuses the account that action, as the matrix of
 * tests/authorization-matrix.test.ts does for the commands themselves.
 */
test("every key × every stage × every order write: allowed exactly when the policy allows its account", async () => {
  const { decide } = await import("@/lib/workflow");
  const made = [];
  for (const to of ["storeOrder", "dispatchReceiving", "inProduction", "dispatching", "storeReceived"] as const) made.push(await orderIn(conn.db, { storeCode: "north", to }));
  const southOrder = await orderIn(conn.db, { storeCode: "south", to: "storeOrder" });
  made.push(southOrder);
  class Rollback extends Error {}
  const attempt = async (work: (call: ReturnType<typeof apiClient>) => Promise<number>) => {
    let status = 0;
    try {
      await conn.db.transaction(async (tx) => {
        status = await work(apiClient(tx as never));
        throw new Rollback();
      });
    } catch (error) {
      if (!(error instanceof Rollback)) throw error;
    }
    return status;
  };
  const mismatches: string[] = [];
  let cases = 0;
  for (const [email, key] of Object.entries(keys)) {
    const actor = actors[email];
    for (const o of made) {
      const number = formatOrderNumber(o.id);
      const todo = `${o.stage}.${(await import("@/lib/workflow")).stage(o.stage).todos[0].key}`;
      const writes: [string, "toggleTodo" | "completeStage" | "comment", (c: ReturnType<typeof apiClient>) => Promise<number>][] = [
        ["tick", "toggleTodo", async (c) => (await c("POST", `/orders/${number}/todos/${todo}`, { key, body: { version: o.version, done: true } })).status],
        ["complete", "completeStage", async (c) => (await c("POST", `/orders/${number}/complete`, { key, body: { version: o.version, confirmOpenTodos: true } })).status],
        ["comment", "comment", async (c) => (await c("POST", `/orders/${number}/comments`, { key, body: { body: "Matrix comment" } })).status],
      ];
      for (const [what, action, run] of writes) {
        const status = await attempt(run);
        cases++;
        const readable = decide(actor, "readOrder", o).ok;
        const allowed = decide(actor, action, o).ok;
        const expected = !readable ? [404] : allowed ? [200, 201, 422] : [403];
        if (!expected.includes(status)) mismatches.push(`${email} ${what} ${number} (${o.stage}): got ${status}, expected ${expected.join("/")}`);
      }
    }
  }
  console.log(`API policy matrix: ${cases} cases, ${mismatches.length} mismatches`);
  expect(mismatches).toEqual([]);
  expect(cases).toBe(6 * 6 * 3);
});

describe("orders through the API", () => {
  test("create, read, tick, save, complete, comment, upload and download: the same commands as the pages, each write audited with the key's name", async () => {
    const k = keys["store.north@example.com"];
    const created = await call("POST", "/orders", { key: k, body: { storeId: storeIds.north, ...newOrder } });
    expect(created.status).toBe(201);
    const order = created.json as { number: string; version: number; stage: string; nextStep: { owner: string; missing: Record<string, string[]>; openTodos: unknown[] } };
    expect(created.headers.get("location")).toBe(`/api/v1/orders/${order.number}`);
    expect(order).toMatchObject({ stage: "storeOrder", state: "active", version: 1, fields: { orderQuantity: 3 } });
    expect(order.nextStep).toMatchObject({ owner: "storeManager", outcome: "advance", to: "dispatchReceiving", missing: {} });
    expect(order.nextStep.openTodos).toHaveLength(3);

    const ticked = await call("POST", `/orders/${order.number}/todos/storeOrder.submitSpecifications`, { key: k, body: { version: 1, done: true } });
    expect(ticked.status).toBe(200);
    expect(ticked.json).toMatchObject({ version: 2, doneTodos: ["storeOrder.submitSpecifications"] });

    const saved = await call("PATCH", `/orders/${order.number}/stage`, { key: k, body: { version: 2, fields: { orderQuantity: "5" } } });
    expect(saved.status).toBe(200);
    expect(saved.json).toMatchObject({ version: 3, fields: { orderQuantity: 5 } });

    const form = new FormData();
    form.set("version", "3");
    form.append("attachments", pdfFile("drawing.pdf"));
    const uploaded = await call("POST", `/orders/${order.number}/attachments`, { key: k, raw: form });
    expect(uploaded.status).toBe(201);
    const attachment = (uploaded.json as { attachments: { url: string; filename: string }[] }).attachments[0];
    expect(attachment.filename).toBe("drawing.pdf");
    const file = await call("GET", attachment.url, { key: k });
    expect(file.status).toBe(200);
    expect(file.text).toMatch(/^%PDF/);
    expect((await call("GET", attachment.url, { key: keys["store.south@example.com"] })).status).toBe(404);

    const refused = await call("POST", `/orders/${order.number}/complete`, { key: k, body: { version: 4 } });
    expect(refused.status).toBe(422);
    expect((refused.json as { openTodos: string[] }).openTodos).toHaveLength(2);
    const done = await call("POST", `/orders/${order.number}/complete`, { key: k, body: { version: 4, confirmOpenTodos: true } });
    expect(done.status).toBe(200);
    expect(done.json).toMatchObject({ stage: "dispatchReceiving", nextStep: { owner: "dispatchTeam" } });

    const comment = await call("POST", `/orders/${order.number}/comments`, { key: k, body: { body: "Customer called: all good." } });
    expect(comment.status).toBe(201);
    const read = (await call("GET", `/orders/${order.number}`, { key: k })).json as { comments: { body: string }[]; history: { kind: string }[] };
    expect(read.comments.map((c) => c.body)).toEqual(["Customer called: all good."]);
    expect(read.history.map((h) => h.kind)).toEqual(["created", "todoChanged", "fieldChanged", "attachmentAdded", "stageCompleted", "commented"]);

    const audited = await conn.db.select().from(auditLog).where(eq(auditLog.kind, "apiWrite")).orderBy(auditLog.id);
    const mine = audited.filter((a) => (a.after as { order?: string }).order === order.number);
    expect(mine.map((a) => (a.after as { path: string }).path)).toEqual([
      "/api/v1/orders",
      `/api/v1/orders/${order.number}/todos/storeOrder.submitSpecifications`,
      `/api/v1/orders/${order.number}/stage`,
      `/api/v1/orders/${order.number}/attachments`,
      `/api/v1/orders/${order.number}/complete`,
      `/api/v1/orders/${order.number}/comments`,
    ]);
    for (const a of mine) expect(a.after).toMatchObject({ key: "store.north@example.com key", method: expect.any(String) });
    expect(mine.every((a) => a.actorId === actors["store.north@example.com"].id)).toBe(true);
  });

  test("the list pages by keyset with the queue's filters", async () => {
    for (let i = 0; i < 27; i++) await orderIn(conn.db, { storeCode: "south", to: "storeOrder" });
    const k = keys["store.south@example.com"];
    const first = (await call("GET", "/orders?view=queue&stage=storeOrder", { key: k })).json as { data: { number: string; stage: string }[]; nextCursor: string };
    expect(first.data).toHaveLength(25);
    expect(first.data.every((o) => o.stage === "storeOrder")).toBe(true);
    const second = (await call("GET", `/orders?view=queue&stage=storeOrder&after=${encodeURIComponent(first.nextCursor)}`, { key: k })).json as { data: { number: string }[] };
    expect(second.data.length).toBeGreaterThanOrEqual(2);
    expect(second.data.some((o) => first.data.some((f) => f.number === o.number))).toBe(false);
  });

  test("a stale version is a 409 with the changes since and the order as it is now; nothing is saved", async () => {
    const o = await orderIn(conn.db, { storeCode: "north", to: "inProduction" });
    const number = formatOrderNumber(o.id);
    const colleague = await saveFields({ db: conn.db, actor: actors["production@example.com"] }, { orderId: o.id, version: o.version, values: { completionPercentage: "30" } });
    expect(colleague.ok).toBe(true);
    const stale = await call("PATCH", `/orders/${number}/stage`, { key: keys["production@example.com"], body: { version: o.version, fields: { completionPercentage: 80 } } });
    expect(stale.status).toBe(409);
    expect(stale.headers.get("content-type")).toBe("application/problem+json");
    const p = stale.json as { currentVersion: number; changes: { text: string }[]; order: { version: number; fields: { completionPercentage: number } } };
    expect(p.currentVersion).toBe(o.version + 1);
    expect(p.changes[0].text).toMatch(/Completion/);
    // The API's change is what its schema names: an instant, not the web form's wall time.
    expect(Object.keys(p.changes[0]).sort()).toEqual(["at", "text", "who"]);
    expect(p.order).toMatchObject({ version: o.version + 1, fields: { completionPercentage: 30 } });
    const [row] = await conn.db.select().from(orders).where(eq(orders.id, o.id));
    expect(row.fields.completionPercentage).toBe(30);
  });
});

describe("idempotency", () => {
  test("a retry with the same Idempotency-Key and body answers with the first result; another body is a 409; one order", async () => {
    const k = keys["store.south@example.com"];
    const body = { storeId: storeIds.south, ...newOrder, productSpecifications: "Idempotent table" };
    const first = await call("POST", "/orders", { key: k, body, headers: { "Idempotency-Key": "order-4711" } });
    const again = await call("POST", "/orders", { key: k, body: { requiredDeliveryDate: body.requiredDeliveryDate, orderQuantity: 3, storeId: storeIds.south, productSpecifications: "Idempotent table" }, headers: { "Idempotency-Key": "order-4711" } });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.json).toEqual(first.json);
    const other = await call("POST", "/orders", { key: k, body: { ...body, orderQuantity: 4 }, headers: { "Idempotency-Key": "order-4711" } });
    expect(other.status).toBe(409);
    const made = await conn.db.select().from(orders).where(sql`${orders.fields}->>'productSpecifications' = 'Idempotent table'`);
    expect(made).toHaveLength(1);
    // Another key of the same account may use the same header value for its own order.
    const second = await keyFor("store.south@example.com", "Second shop");
    expect((await call("POST", "/orders", { key: second, body, headers: { "Idempotency-Key": "order-4711" } })).status).toBe(201);
    expect(await conn.db.select().from(orders).where(sql`${orders.fields}->>'productSpecifications' = 'Idempotent table'`)).toHaveLength(2);
  });

  test("keys are kept a day: the automation pass forgets older ones, and the same key then makes a new order", async () => {
    const { runAutomations } = await import("@/lib/automation/runner");
    const k = keys["store.south@example.com"];
    const body = { storeId: storeIds.south, ...newOrder, productSpecifications: "Day-old key cabinet" };
    const first = await call("POST", "/orders", { key: k, body, headers: { "Idempotency-Key": "daily" } });
    expect(first.status).toBe(201);
    await runAutomations({ db: conn.db, now: new Date(Date.now() + 23 * 3_600_000) });
    expect((await call("POST", "/orders", { key: k, body, headers: { "Idempotency-Key": "daily" } })).headers.get("idempotent-replayed")).toBe("true");
    await runAutomations({ db: conn.db, now: new Date(Date.now() + 25 * 3_600_000) });
    const later = await call("POST", "/orders", { key: k, body, headers: { "Idempotency-Key": "daily" } });
    expect(later.status).toBe(201);
    expect(later.headers.get("idempotent-replayed")).toBeNull();
    expect((later.json as { number: string }).number).not.toBe((first.json as { number: string }).number);
  });

  test("a refused create gives its key back: the corrected request with the same key makes the order", async () => {
    const k = keys["store.south@example.com"];
    const bad = await call("POST", "/orders", { key: k, body: { storeId: storeIds.south, ...newOrder, orderQuantity: 0 }, headers: { "Idempotency-Key": "fix-me" } });
    expect(bad.status).toBe(422);
    const good = await call("POST", "/orders", { key: k, body: { storeId: storeIds.south, ...newOrder }, headers: { "Idempotency-Key": "fix-me" } });
    expect(good.status).toBe(201);
  });
});

describe("problem details", () => {
  test("every field error at once, each with a pointer; application/problem+json with type, title and status", async () => {
    const r = await call("POST", "/orders", { key: keys["store.north@example.com"], body: { storeId: "north", productSpecifications: "", orderQuantity: 0, requiredDeliveryDate: "2020-02-30", colour: "red" } });
    expect(r.status).toBe(422);
    expect(r.headers.get("content-type")).toBe("application/problem+json");
    const p = r.json as { type: string; title: string; status: number; errors: { pointer: string; detail: string }[] };
    expect(p).toMatchObject({ type: "/api/v1/reference#problem-validation", title: "The request has invalid values", status: 422 });
    expect(p.errors.map((e) => e.pointer).sort()).toEqual(["#", "#/orderQuantity", "#/productSpecifications", "#/requiredDeliveryDate", "#/storeId"]);
    expect(p.errors.find((e) => e.pointer === "#/orderQuantity")?.detail).toBe("Order Quantity must be at least 1");
  });

  test("a stage's field errors point into `fields`; unreadable, mistyped and oversized bodies are 400, 415 and 413", async () => {
    const o = await orderIn(conn.db, { storeCode: "north", to: "inProduction" });
    const k = keys["production@example.com"];
    const number = formatOrderNumber(o.id);
    const bad = await call("PATCH", `/orders/${number}/stage`, { key: k, body: { version: o.version, fields: { completionPercentage: 140, productionStatus: "nearly" } } });
    expect(bad.status).toBe(422);
    expect((bad.json as { errors: { pointer: string }[] }).errors.map((e) => e.pointer).sort()).toEqual(["#/fields/completionPercentage", "#/fields/productionStatus"]);
    expect((await call("POST", `/orders/${number}/comments`, { key: k, raw: "{not json", contentType: "application/json" })).status).toBe(400);
    expect((await call("POST", `/orders/${number}/comments`, { key: k, raw: "body=hi", contentType: "text/plain" })).status).toBe(415);
    const huge = await call("POST", `/orders/${number}/comments`, { key: k, raw: JSON.stringify({ body: "x".repeat(70_000) }), contentType: "application/json" });
    expect(huge.status).toBe(413);
    expect(huge.json).toMatchObject({ status: 413, title: "The request body is too large" });
  });
});

describe("rate limits", () => {
  test("past the key's limit in a minute: 429 with Retry-After and RateLimit headers; the next minute it answers again", async () => {
    const secret = await keyFor("dispatch@example.com", "Limited");
    await conn.db.update(apiKeys).set({ rateLimitPerMinute: 3 }).where(eq(apiKeys.name, "Limited"));
    const minute = Math.ceil(Date.now() / 60_000) * 60_000;
    const at = (ms: number) => apiClient(conn.db, { now: () => new Date(minute + ms) });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await at(10_000 + i)("GET", "/me", { key: secret }));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
    expect(answers[0].headers.get("ratelimit-limit")).toBe("3");
    expect(answers[2].headers.get("ratelimit-remaining")).toBe("0");
    expect(answers[3].headers.get("retry-after")).toBe("50");
    expect(answers[3].headers.get("ratelimit-reset")).toBe("50");
    expect(answers[3].json).toMatchObject({ status: 429, type: "/api/v1/reference#problem-rate-limited" });
    // Another key is counted apart; the next window starts again.
    expect((await at(10_010)("GET", "/me", { key: keys["dispatch@example.com"] })).status).toBe(200);
    expect((await at(60_000)("GET", "/me", { key: secret })).status).toBe(200);
    const [count] = rowsOf<{ count: number }>(await conn.db.execute(sql`select count from api_rate_limits r join api_keys k on k.id = r.key_id where k.name = 'Limited'`));
    expect(Number(count.count)).toBe(1);
  });
});

test("every answer above matched the OpenAPI document", () => {
  expect(contract.checked).toBeGreaterThan(40);
});


