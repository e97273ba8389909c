import { afterAll, beforeAll, expect, test } from "vitest";
import { sql } from "drizzle-orm";
import { type Connection, rowsOf } from "@/db/client";
import { listConditions, listOrders } from "@/db/queries/orders";
import { orderListSchema } from "@/lib/orders/filters";
import { formatOrderNumber } from "@/lib/workflow";
import { testDatabase } from "./database";
import { type Actors, orderIn, seedActors } from "./fixtures";

/**
 * The order search as a person types it: every word must be in the product specification,
 * anywhere and in any case, and the trigram index (pg_trgm) answers it instead of reading every
 * order's specification.
 */

let conn: Connection;
let actors: Actors;
const ops = () => actors["ops@example.com"];
const ids: Record<string, number> = {};

beforeAll(async () => {
  conn = await testDatabase();
  actors = (await seedActors(conn.db)).actors;
  for (const [name, specifications] of [
    ["dining", "Oak dining table, 180 x 90 cm, oiled"],
    ["solid", "Table top in solid OAK, 2 m, with a bench"],
    ["shelf", "Oak display shelf, 120 x 40 cm"],
    ["pine", "Pine side table with one drawer"],
    ["percent", "Recycled card boxes, 100% post-consumer fibre"],
  ] as const) {
    ids[name] = (await orderIn(conn.db, { storeCode: name === "solid" ? "south" : "north", to: "dispatchReceiving", specifications })).id;
  }
});
afterAll(() => conn?.close());

const search = async (q: string, view = "all") => (await listOrders(conn.db, ops(), orderListSchema.parse({ view, q }))).rows.map((r) => r.id).sort((a, b) => a - b);

test("'oak table' finds the orders with both words, in any order and case, and not those with one", async () => {
  expect(await search("oak table")).toEqual([ids.dining, ids.solid].sort((a, b) => a - b));
  expect(await search("  TABLE   Oak ")).toEqual([ids.dining, ids.solid].sort((a, b) => a - b));
  expect(await search("oak table", "queue")).toEqual([ids.dining, ids.solid].sort((a, b) => a - b));
  expect(await search("oak")).toEqual([ids.dining, ids.solid, ids.shelf].sort((a, b) => a - b));
  expect(await search("oak drawer")).toEqual([]);
});

test("a word is matched anywhere in the text, and % and _ are only characters", async () => {
  expect(await search("oile tab")).toEqual([ids.dining]);
  expect(await search("100%")).toEqual([ids.percent]);
  expect(await search("%")).toEqual([ids.percent]);
  expect(await search("_")).toEqual([]);
});

test("an order number still finds its order", async () => {
  expect(await search(formatOrderNumber(ids.pine))).toEqual([ids.pine]);
});

test("the words are looked up in the trigram index of the specification", async () => {
  const where = listConditions(ops(), orderListSchema.parse({ view: "all", state: "any", q: "oak table" }), new Date());
  const plan = await conn.db.transaction(async (tx) => {
    // With so few orders the planner would read them all; barred from that, it must be able to use the index.
    await tx.execute(sql`set local enable_seqscan = off`);
    return rowsOf<Record<string, string>>(await tx.execute(sql`explain select id from orders where ${where}`)).map((r) => Object.values(r)[0]);
  });
  expect(plan.join("\n")).toMatch(/orders_specifications_trgm_idx/);
});
