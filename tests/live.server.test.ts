import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Connection, openPostgres } from "@/db/client";
import { completeStage } from "@/lib/orders/commands";
import { stopLiveHub, subscribeLive } from "@/lib/live/hub";
import type { LiveTopic } from "@/lib/live/topics";
import { onServer, testDatabase } from "./database";
import { type Actors, orderIn, seedActors } from "./fixtures";

/**
 * Two app servers on one PostgreSQL (SPEC "Running it for a shop"): a change made through one
 * reaches the live pages open on the other, through LISTEN/NOTIFY on the server.
 */
describe("live changes across app servers", () => {
  beforeAll(() => {
    if (!onServer()) throw new Error("these tests need DATABASE_URL (a PostgreSQL server)");
  });
  let conn: Connection & { url?: string };
  let other: Connection;
  let actors: Actors;
  beforeAll(async () => {
    conn = await testDatabase();
    actors = (await seedActors(conn.db)).actors;
    other = await openPostgres(conn.url!, { max: 2 });
  });
  afterAll(async () => {
    await stopLiveHub();
    await other.close();
    await conn.close();
  });

  test("a stage completed on the other server is heard here, once, with one listening connection", async () => {
    const o = await orderIn(conn.db, { storeCode: "north", to: "storeOrder" });
    const heard: LiveTopic[] = [];
    const stop = await subscribeLive((t) => heard.push(t), Promise.resolve(conn));
    const second = await subscribeLive(() => {}, Promise.resolve(conn));
    // What making the order sent is over before the change this test counts.
    await new Promise((r) => setTimeout(r, 500));
    heard.length = 0;
    const done = await completeStage({ db: other.db, actor: actors["store.north@example.com"] }, { orderId: o.id, version: o.version, confirmOpenTodos: true });
    expect(done.ok).toBe(true);
    const end = Date.now() + 5000;
    while (!heard.some((t) => t.kind === "order" && t.orderId === o.id) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300));
    expect(heard.filter((t) => t.kind === "order" && t.orderId === o.id)).toHaveLength(1);
    // Two streams in this process, one LISTEN on the server.
    const listeners = await conn.db.execute("select count(*)::int as n from pg_stat_activity where datname = current_database() and query ilike 'listen%'");
    expect((Array.isArray(listeners) ? listeners : (listeners as { rows: { n: number }[] }).rows)[0]).toEqual({ n: 1 });
    stop();
    second();
  });
});
