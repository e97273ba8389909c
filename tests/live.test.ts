import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { sql } from "drizzle-orm";
import type { Connection } from "@/db/client";
import { completeStage, saveFields } from "@/lib/orders/commands";
import { addComment } from "@/lib/orders/conversation";
import { markAllNotificationsRead } from "@/lib/inbox/commands";
import { stopLiveHub, subscribeLive } from "@/lib/live/hub";
import { notifyInboxes } from "@/db/notify";
import { type LiveTopic, liveEventFor, parsePayload } from "@/lib/live/topics";
import { liveResponse } from "@/app/api/live/handler";
import { orderChangesResponse } from "@/app/api/live/orders/[id]/handler";
import { notifications } from "@/db/schema";
import type { Actor } from "@/lib/workflow";
import { testDatabase } from "./database";
import { type Actors, orderIn, seedActors } from "./fixtures";

/**
 * Live pages' plumbing (decision 026), on PGlite and, with DATABASE_URL, on a PostgreSQL server:
 * a NOTIFY in the command's transaction reaches the process's one listener when it commits (and
 * never when it rolls back), and each stream passes on only what its account may read.
 */

let conn: Connection;
let actors: Actors;
let storeIds: { north: number; south: number };
const heard: LiveTopic[] = [];
let unsubscribe: () => void;

beforeAll(async () => {
  conn = await testDatabase();
  ({ actors, storeIds } = await seedActors(conn.db));
  unsubscribe = await subscribeLive((t) => heard.push(t), Promise.resolve(conn));
});
afterAll(async () => {
  unsubscribe();
  await stopLiveHub();
  await conn.close();
});

/** Waits until `check` holds (a notification arrives after the commit, over a socket on a server). */
async function until<T>(check: () => T | undefined | false, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}
const settle = () => new Promise((r) => setTimeout(r, 500));
/** Lets what earlier changes sent arrive (on a server it comes over a socket), then forgets it. */
const quiet = async () => {
  await settle();
  heard.length = 0;
};

describe("notify in the command's transaction", () => {
  test("a completed stage is heard as its order and store, after the commit", async () => {
    const o = await orderIn(conn.db, { storeCode: "north", to: "storeOrder" });
    await quiet();
    const done = await completeStage({ db: conn.db, actor: actors["store.north@example.com"] }, { orderId: o.id, version: o.version, confirmOpenTodos: true });
    expect(done.ok).toBe(true);
    const topic = await until(() => heard.find((t) => t.kind === "order" && t.orderId === o.id));
    expect(topic).toEqual({ kind: "order", orderId: o.id, storeId: storeIds.north });
  });

  test("nothing is heard before the commit, nor for a change that rolls back", async () => {
    await quiet();
    await conn.db
      .transaction(async (tx) => {
        await tx.execute(sql`select pg_notify('makeline_live', 'o:999:1')`);
        await settle();
        expect(heard).toEqual([]);
        throw new Error("roll back");
      })
      .catch((e: Error) => expect(e.message).toBe("roll back"));
    await settle();
    expect(heard).toEqual([]);
  });

  test("a refused (stale) save notifies nobody", async () => {
    const o = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving" });
    await saveFields({ db: conn.db, actor: actors["dispatch@example.com"] }, { orderId: o.id, version: o.version, values: { specialRequirements: "Cable tray" } });
    await until(() => heard.find((t) => t.kind === "order" && t.orderId === o.id));
    await quiet();
    const stale = await completeStage({ db: conn.db, actor: actors["dispatch@example.com"] }, { orderId: o.id, version: o.version, confirmOpenTodos: true });
    expect(stale.ok).toBe(false);
    await settle();
    expect(heard).toEqual([]);
  });

  test("a comment is heard as its order; a mention and marking read as the inbox of the account", async () => {
    const o = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving" });
    await quiet();
    const dana = actors["dispatch@example.com"];
    const posted = await addComment({ db: conn.db, actor: actors["store.north@example.com"] }, { orderId: o.id, body: "@Dana can you check?" });
    expect(posted.ok).toBe(true);
    await until(() => heard.find((t) => t.kind === "order" && t.orderId === o.id));
    await until(() => heard.find((t) => t.kind === "inbox" && t.accountId === dana.id));
    await quiet();
    await markAllNotificationsRead({ db: conn.db, actor: dana });
    await until(() => heard.find((t) => t.kind === "inbox" && t.accountId === dana.id));
  });

  test("many accounts' inboxes in one statement", async () => {
    await quiet();
    await conn.db.transaction((tx) => notifyInboxes(tx, [actors["qc@example.com"].id, actors["ops@example.com"].id, actors["qc@example.com"].id]));
    await until(() => heard.filter((t) => t.kind === "inbox").length >= 2);
    await settle();
    expect(heard.filter((t) => t.kind === "inbox").map((t) => (t.kind === "inbox" ? t.accountId : 0)).sort()).toEqual([actors["qc@example.com"].id, actors["ops@example.com"].id].sort());
  });
});

describe("who hears what", () => {
  test("payloads: only well-formed ones are read", () => {
    expect(parsePayload("o:12:3")).toEqual({ kind: "order", orderId: 12, storeId: 3 });
    expect(parsePayload("a:7")).toEqual({ kind: "inbox", accountId: 7 });
    expect(parsePayload("*")).toEqual({ kind: "all" });
    for (const bad of ["", "o:12", "o:x:3", "o:1:2:3", "a:7:1", "a:0", "z:1", "o:-1:2", "a:1e3"]) expect(parsePayload(bad)).toBeNull();
  });

  test("an order's change reaches readers of its store only; an inbox's its account only", () => {
    const north = { kind: "order" as const, orderId: 5, storeId: storeIds.north };
    expect(liveEventFor(actors["store.north@example.com"], north)).toEqual({ event: "order", data: "5" });
    expect(liveEventFor(actors["store.south@example.com"], north)).toBeNull();
    expect(liveEventFor(actors["dispatch@example.com"], north)).toEqual({ event: "order", data: "5" });
    const inbox = { kind: "inbox" as const, accountId: actors["qc@example.com"].id };
    expect(liveEventFor(actors["qc@example.com"], inbox)).toEqual({ event: "inbox", data: "" });
    expect(liveEventFor(actors["admin@example.com"], inbox)).toBeNull();
  });
});

/** Reads a live stream until `want` shows up in what it sent. */
async function readUntil(body: ReadableStream<Uint8Array>, want: RegExp, ms = 5000): Promise<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const end = Date.now() + ms;
  try {
    while (!want.test(text)) {
      const left = end - Date.now();
      if (left <= 0) throw new Error(`no ${want} in ${JSON.stringify(text)}`);
      const next = await Promise.race([reader.read(), new Promise<null>((r) => setTimeout(() => r(null), left))]);
      if (!next || next.done) break;
      text += decoder.decode(next.value);
    }
  } finally {
    reader.releaseLock();
  }
  return text;
}

describe("the live route", () => {
  const request = (actor: Actor | null, mode: "stream" | "poll" | "off", lastEventId: string | null = null) => {
    const abort = new AbortController();
    return { abort, response: liveResponse(actor, { db: conn.db, mode, lastEventId, signal: abort.signal, recheck: async () => actor }) };
  };

  test("signed out: 401; turned off: 204, which stops the browser's EventSource", async () => {
    expect((await request(null, "stream").response).status).toBe(401);
    expect((await request(null, "poll").response).status).toBe(401);
    expect((await request(actors["ops@example.com"], "off").response).status).toBe(204);
  });

  test("a stream says hello, then passes on its store's changes and not another store's", async () => {
    const northOrder = await orderIn(conn.db, { storeCode: "north", to: "storeOrder" });
    const southOrder = await orderIn(conn.db, { storeCode: "south", to: "storeOrder" });
    const { abort, response } = request(actors["store.north@example.com"], "stream");
    const res = await response;
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const body = res.body!;
    expect(await readUntil(body, /event: hello/)).toMatch(/^retry: \d+\nevent: hello\n/);
    await completeStage({ db: conn.db, actor: actors["store.south@example.com"] }, { orderId: southOrder.id, version: southOrder.version, confirmOpenTodos: true });
    await completeStage({ db: conn.db, actor: actors["store.north@example.com"] }, { orderId: northOrder.id, version: northOrder.version, confirmOpenTodos: true });
    const text = await readUntil(body, new RegExp(`data: ${northOrder.id}\\n`));
    expect(text).toContain(`event: order\ndata: ${northOrder.id}\n\n`);
    expect(text).not.toContain(`data: ${southOrder.id}\n`);
    // Content never travels: the frames hold event names and order numbers only.
    expect(text).not.toMatch(/Store Order|North|South/);
    abort.abort();
  });

  test("polling: the marker comes back as Last-Event-ID and a change since is an event", async () => {
    const ops = actors["ops@example.com"];
    const first = await (await request(ops, "poll").response).text();
    const id = /\nid: (\S+)\n/.exec(first)![1];
    expect(first).not.toMatch(/event: /);
    const same = await (await request(ops, "poll", id).response).text();
    expect(same).not.toMatch(/event: /);
    const o = await orderIn(conn.db, { storeCode: "north", to: "storeOrder" });
    await completeStage({ db: conn.db, actor: actors["store.north@example.com"] }, { orderId: o.id, version: o.version, confirmOpenTodos: true });
    const moved = await (await request(ops, "poll", id).response).text();
    expect(moved).toMatch(/event: order\n/);
    expect(moved).not.toMatch(/event: inbox\n/);
    await conn.db.insert(notifications).values({ accountId: ops.id, message: "hello", priority: "normal", createdAt: new Date() });
    const told = await (await request(ops, "poll", /\nid: (\S+)\n/.exec(moved)![1]).response).text();
    expect(told).toMatch(/event: inbox\n/);
  });

  test("a stream ends when the session does", async () => {
    const abort = new AbortController();
    let live: Actor | null = actors["ops@example.com"];
    const res = await liveResponse(live, { db: conn.db, mode: "stream", lastEventId: null, signal: abort.signal, recheck: async () => live, heartbeatMs: 200 });
    const body = res.body!;
    await readUntil(body, /event: hello/);
    live = null;
    // The heartbeat asks again; the stream then closes rather than waiting for the browser.
    const reader = body.getReader();
    const drain = async () => {
      for (;;) if ((await reader.read()).done) return "closed";
    };
    expect(await Promise.race([drain(), new Promise((r) => setTimeout(() => r("still open"), 3000))])).toBe("closed");
    abort.abort();
  });
});

describe("what changed, for the order page's banner", () => {
  test("who saved which field since the page's version; another store's order is not found", async () => {
    const o = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving" });
    await saveFields({ db: conn.db, actor: actors["dispatch@example.com"] }, { orderId: o.id, version: o.version, values: { specialRequirements: "Cable tray" } });
    const res = await orderChangesResponse(actors["store.north@example.com"], String(o.id), String(o.version), conn.db);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { version: number; changes: string[] };
    expect(body).toEqual({ version: o.version + 1, changes: ["Dana Dispatch saved Special Requirements"] });
    // The value itself is not in the banner: the page shows it when asked.
    expect(JSON.stringify(body)).not.toContain("Cable tray");
    expect((await orderChangesResponse(actors["store.south@example.com"], String(o.id), String(o.version), conn.db)).status).toBe(404);
    expect((await orderChangesResponse(null, String(o.id), String(o.version), conn.db)).status).toBe(401);
    expect((await orderChangesResponse(actors["ops@example.com"], "abc", "1", conn.db)).status).toBe(404);
    expect((await orderChangesResponse(actors["ops@example.com"], String(o.id), "x", conn.db)).status).toBe(400);
  });
});
