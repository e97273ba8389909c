import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import type { Connection } from "@/db/client";
import { accounts, orderHistory, orders } from "@/db/schema";
import { createAccount, setAccountActive } from "@/lib/account-admin/commands";
import { loadActor } from "@/lib/auth/actor";
import { completeStage, saveFields } from "@/lib/orders/commands";
import { onServer, testDatabase } from "./database";
import { type Actors, historyOf, orderIn, seedActors } from "./fixtures";

/** Real concurrency needs a server: PGlite is one connection, so this file runs only with DATABASE_URL (vitest.config.ts). */
describe("concurrent writers on PostgreSQL", () => {
  beforeAll(() => {
    if (!onServer()) throw new Error("concurrency tests need DATABASE_URL (a PostgreSQL server)");
  });
  let conn: Connection;
  let actors: Actors;
  beforeAll(async () => {
    conn = await testDatabase();
    actors = (await seedActors(conn.db)).actors;
  });
  afterAll(() => conn.close());

  test("50 concurrent 'complete stage' calls: exactly one wins, the rest get the conflict", async () => {
    const o = await orderIn(conn.db, { storeCode: "north", to: "storeOrder" });
    const ctx = { db: conn.db, actor: actors["store.north@example.com"] };
    const results = await Promise.all(Array.from({ length: 50 }, () => completeStage(ctx, { orderId: o.id, version: o.version, confirmOpenTodos: true })));
    const wins = results.filter((r) => r.ok);
    const conflicts = results.filter((r) => !r.ok && r.conflict);
    console.log(`complete stage ×50: ${wins.length} succeeded, ${conflicts.length} conflicts`);
    expect(wins).toHaveLength(1);
    expect(conflicts).toHaveLength(49);
    const first = conflicts[0];
    if (!first.ok) {
      expect(first.conflict?.changes).toHaveLength(1);
      expect(first.conflict?.changes[0].text).toMatch(/^Completed Store Order; now in Receiving by Dispatch/);
      expect(first.formError).toMatch(/changed since you opened it/);
    }
    const events = (await historyOf(conn.db, o.id)).filter((e) => e.kind === "stageCompleted");
    expect(events).toHaveLength(1);
    const [row] = await conn.db.select().from(orders).where(eq(orders.id, o.id));
    expect(row.stage).toBe("dispatchReceiving");
    expect(row.version).toBe(o.version + 1);
  });

  test("20 concurrent field saves from one stale version: one lands, none is lost silently", async () => {
    const o = await orderIn(conn.db, { storeCode: "north", to: "inProduction" });
    const ctx = { db: conn.db, actor: actors["production@example.com"] };
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => saveFields(ctx, { orderId: o.id, version: o.version, values: { completionPercentage: String(i * 5) } })),
    );
    const winners = results.flatMap((r, i) => (r.ok ? [i] : []));
    console.log(`field saves ×20 from a stale version: ${winners.length} saved, ${results.length - winners.length} conflicts`);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.conflict)).toHaveLength(19);
    const [row] = await conn.db.select().from(orders).where(eq(orders.id, o.id));
    expect(row.fields.completionPercentage).toBe(winners[0] * 5);
    const events = await conn.db.select().from(orderHistory).where(and(eq(orderHistory.orderId, o.id), eq(orderHistory.subject, "completionPercentage")));
    expect(events).toHaveLength(1);
  });

  test("20 sequential writers that each reload before saving: every update lands", async () => {
    const o = await orderIn(conn.db, { storeCode: "north", to: "inProduction" });
    const ctx = { db: conn.db, actor: actors["production@example.com"] };
    // Each writer retries on conflict with the current version, as a person would after the message.
    await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        for (;;) {
          const [cur] = await conn.db.select({ version: orders.version }).from(orders).where(eq(orders.id, o.id));
          const r = await saveFields(ctx, { orderId: o.id, version: cur.version, values: { completionPercentage: String(i) } });
          if (r.ok || !r.conflict) return;
        }
      }),
    );
    const events = await conn.db.select().from(orderHistory).where(and(eq(orderHistory.orderId, o.id), eq(orderHistory.subject, "completionPercentage")));
    const [row] = await conn.db.select().from(orders).where(eq(orders.id, o.id));
    expect(row.version - o.version).toBe(events.length);
    expect(events.length).toBeGreaterThanOrEqual(19);
  });

  test("two administrators removing each other at once: one succeeds, an administrator always remains", async () => {
    const admin = actors["admin@example.com"];
    const made = await createAccount({ db: conn.db, actor: admin }, { name: "Other Admin", email: "other.admin@example.com", roles: ["admin"], storeIds: [], password: "other admin password" });
    if (!made.ok) throw new Error(JSON.stringify(made));
    const other = (await loadActor(conn.db, made.account.id))!;
    for (let round = 0; round < 10; round++) {
      const [a, b] = await Promise.all([
        setAccountActive({ db: conn.db, actor: admin }, { accountId: other.id, active: "false", confirmed: "on" }),
        setAccountActive({ db: conn.db, actor: other }, { accountId: admin.id, active: "false", confirmed: "on" }),
      ]);
      expect([a.ok, b.ok].filter(Boolean), `round ${round}`).toHaveLength(1);
      const activeAdmins = await conn.db.select({ id: accounts.id }).from(accounts).where(and(eq(accounts.active, true), sql`'admin' = any(${accounts.roles})`));
      expect(activeAdmins, `round ${round}`).toHaveLength(1);
      // Put both back for the next round.
      await conn.db.update(accounts).set({ active: true }).where(sql`${accounts.id} in (${admin.id}, ${other.id})`);
    }
    console.log("admins removing each other ×10: one removal each round, one administrator left each time");
  });
});
