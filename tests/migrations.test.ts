import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { eq, getTableColumns, getTableName, is, sql } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import { type Connection, applyMigrations, migrationsFolder, rowsOf } from "@/db/client";
import { migrationStatus } from "@/db/queries/health";
import * as schema from "@/db/schema";
import { testDatabase } from "./database";

const journal = JSON.parse(readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")) as { entries: unknown[] };
const tables = Object.values(schema as Record<string, unknown>).filter((v): v is PgTable => is(v, PgTable));

let conn: Connection;
beforeAll(async () => {
  conn = await testDatabase({ migrate: false });
});
afterAll(() => conn.close());

async function publicTables() {
  const rows = rowsOf<{ name: string }>(
    await conn.db.execute(sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`),
  );
  return rows.map((r) => r.name);
}

async function appliedCount() {
  const [row] = rowsOf<{ n: number }>(await conn.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`));
  return Number(row.n);
}

/** The message of a failed query, including the database's own error beneath drizzle's wrapper. */
async function failureOf(query: PromiseLike<unknown>): Promise<string> {
  try {
    await query;
  } catch (error) {
    const messages: string[] = [];
    for (let e: unknown = error; e instanceof Error; e = e.cause) messages.push(e.message);
    return messages.join(" / ");
  }
  throw new Error("the query succeeded");
}

describe("migrations, in order", () => {
  test("an empty database has no tables and is not current", async () => {
    expect(await publicTables()).toEqual([]);
    expect(await migrationStatus(conn.db)).toEqual({ expected: journal.entries.length, applied: 0, current: false });
  });

  test("apply from empty: every table of the schema exists, with every column", async () => {
    await applyMigrations(conn);
    expect(await publicTables()).toEqual(tables.map((t) => getTableName(t)).sort());
    for (const table of tables) {
      const rows = rowsOf<{ name: string }>(
        await conn.db.execute(sql`select column_name as name from information_schema.columns where table_schema = 'public' and table_name = ${getTableName(table)}`),
      );
      const expected = Object.values(getTableColumns(table)).map((c) => c.name);
      expect(rows.map((r) => r.name).sort(), getTableName(table)).toEqual(expected.sort());
    }
    expect(await migrationStatus(conn.db)).toEqual({ expected: journal.entries.length, applied: journal.entries.length, current: true });
  });

  test("applying again is a no-op that keeps the data", async () => {
    const [store] = await conn.db.insert(schema.stores).values({ code: "east", name: "East" }).returning();
    const before = await appliedCount();
    await applyMigrations(conn);
    await applyMigrations(conn);
    expect(await appliedCount()).toBe(before);
    expect(await conn.db.select().from(schema.stores).where(eq(schema.stores.id, store.id))).toEqual([store]);
    expect((await migrationStatus(conn.db)).current).toBe(true);
  });
});

describe("order_history is append-only", () => {
  let eventId: number;
  let orderId: number;

  beforeAll(async () => {
    const now = new Date();
    const [store] = await conn.db.insert(schema.stores).values({ code: "west", name: "West" }).returning();
    const [order] = await conn.db.insert(schema.orders).values({ storeId: store.id, stage: "storeOrder", stageEnteredAt: now, stageDueAt: now }).returning();
    const [event] = await conn.db.insert(schema.orderHistory).values({ orderId: order.id, version: 1, kind: "created", after: { note: "first" } }).returning();
    orderId = order.id;
    eventId = event.id;
  });

  const history = () => conn.db.select().from(schema.orderHistory).where(eq(schema.orderHistory.orderId, orderId));

  test("UPDATE is rejected", async () => {
    const error = await failureOf(conn.db.update(schema.orderHistory).set({ note: "rewritten" }).where(eq(schema.orderHistory.id, eventId)));
    expect(error).toMatch(/order_history is append-only \(UPDATE refused\)/);
    expect((await history())[0].note).toBeNull();
  });

  test("DELETE is rejected", async () => {
    const error = await failureOf(conn.db.delete(schema.orderHistory).where(eq(schema.orderHistory.id, eventId)));
    expect(error).toMatch(/order_history is append-only \(DELETE refused\)/);
    expect(await history()).toHaveLength(1);
  });

  test("TRUNCATE is rejected", async () => {
    expect(await failureOf(conn.db.execute(sql`truncate order_history cascade`))).toMatch(/append-only \(TRUNCATE refused\)/);
    expect(await history()).toHaveLength(1);
  });

  test("appending still works", async () => {
    await conn.db.insert(schema.orderHistory).values({ orderId, version: 2, kind: "cancelled", note: "test" });
    expect(await history()).toHaveLength(2);
  });
});
