import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { and, eq } from "drizzle-orm";
import type { Connection } from "@/db/client";
import { attachments, notifications, orderCounts, orders, stageEntries } from "@/db/schema";
import { rowsOf } from "@/db/client";
import { exactOrderCounts } from "@/lib/orders/counts";
import type { Order } from "@/db/schema";
import { listOrders, myWork, replacementsFirst } from "@/db/queries/orders";
import { demoPhoto, driveOrder } from "@/lib/demo/orders";
import { saveStage } from "@/lib/orders/commands";
import { requestReplacement } from "@/lib/orders/replacements";
import { orderListSchema } from "@/lib/orders/filters";
import { saveStageSchema } from "@/lib/orders/schemas";
import { formatOrderNumber } from "@/lib/workflow";
import { testDatabase } from "./database";
import { type Actors, historyOf, inDays, pdfFile, seedActors } from "./fixtures";

/** SPEC: When a delivery goes wrong — the receipt, its alerts, and the replacement, through the real commands. */

let conn: Connection;
let actors: Actors;
beforeAll(async () => {
  conn = await testDatabase();
  actors = (await seedActors(conn.db)).actors;
});
afterAll(() => conn?.close());

const as = (email: string) => ({ db: conn.db, actor: actors[email] });
const store = () => as("store.north@example.com");

/** The Store Received form as the store posts it: the fields it edited, and any photos. */
function receipt(order: Order, values: Record<string, unknown>, photos: File[] = [], intent = "complete") {
  return saveStageSchema.parse({
    orderId: String(order.id),
    version: String(order.version),
    stage: "storeReceived",
    intent,
    confirmOpenTodos: "on",
    editable: Object.keys(values).join(","),
    ...values,
    photos,
  });
}
const damaged = { receiptConfirmation: { confirmedBy: "Nora North" }, productCondition: "damaged", conditionNote: "Two legs cracked, box crushed" };
const reload = async (id: number) => (await conn.db.select().from(orders).where(eq(orders.id, id)))[0];

describe("a receipt in Damaged or Wrong specification condition", () => {
  test("needs a note, beside the note; nothing is saved", async () => {
    const order = await driveOrder(conn.db, { storeCode: "north", to: "storeReceived" });
    const r = await saveStage(store(), receipt(order, { ...damaged, conditionNote: "" }, [demoPhoto()]));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.fieldErrors?.conditionNote?.[0]).toMatch(/needs a note/);
    expect((await reload(order.id)).state).toBe("active");
    expect(await conn.db.select().from(attachments).where(eq(attachments.orderId, order.id))).toHaveLength(0);
  });

  test("needs a photo (a PDF is no photo), beside the photos; then completes with both on record and tells dispatch and QC", async () => {
    const order = await driveOrder(conn.db, { storeCode: "north", to: "storeReceived" });
    const noPhoto = await saveStage(store(), receipt(order, damaged));
    expect(noPhoto.ok).toBe(false);
    if (!noPhoto.ok) expect(noPhoto.fieldErrors?.photos?.[0]).toMatch(/Attach at least one photo/);
    const pdfOnly = await saveStage(store(), receipt(order, damaged, [pdfFile("delivery-note.pdf")]));
    expect(pdfOnly.ok).toBe(false);
    expect((await reload(order.id)).state).toBe("active");

    const done = await saveStage(store(), receipt(order, damaged, [demoPhoto("crushed-box.png")]));
    expect(done).toMatchObject({ ok: true });
    const after = await reload(order.id);
    expect(after.state).toBe("completed");
    expect(after.fields).toMatchObject({ productCondition: "damaged", conditionNote: "Two legs cracked, box crushed" });
    const files = await conn.db.select().from(attachments).where(eq(attachments.orderId, order.id));
    expect(files.map((f) => [f.filename, f.stage, f.contentType])).toEqual([["crushed-box.png", "storeReceived", "image/png"]]);

    const alerts = await conn.db.select().from(notifications).where(eq(notifications.orderId, order.id));
    const told = new Set(alerts.map((n) => n.accountId));
    expect(told.has(actors["dispatch@example.com"].id)).toBe(true);
    expect(told.has(actors["qc@example.com"].id)).toBe(true);
    expect(told.has(actors["production@example.com"].id)).toBe(false);
    const toQc = alerts.find((n) => n.accountId === actors["qc@example.com"].id)!;
    expect(toQc.message).toBe("North received the order damaged: Two legs cracked, box crushed");
    expect(toQc.priority).toBe("high");
  });

  test("a photo saved earlier in the stage counts", async () => {
    const order = await driveOrder(conn.db, { storeCode: "north", to: "storeReceived" });
    const saved = await saveStage(store(), receipt(order, {}, [demoPhoto()], "save"));
    expect(saved).toMatchObject({ ok: true, message: "1 photo attached" });
    const done = await saveStage(store(), receipt(await reload(order.id), damaged));
    expect(done).toMatchObject({ ok: true });
  });
});

describe("Ask for a replacement", () => {
  test("a new order linked both ways, prefilled as asked, sent to dispatch, first in its queue and its work", async () => {
    const order = await driveOrder(conn.db, { storeCode: "north", to: "completed", received: "damaged", specifications: "Walnut bench, 160 cm, oiled" });
    const r = await requestReplacement(store(), { orderId: order.id, version: order.version, productSpecifications: "Walnut bench, 160 cm, oiled", orderQuantity: "2", requiredDeliveryDate: inDays(20) });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const { replacement } = r;
    expect(replacement).toMatchObject({ stage: "dispatchReceiving", state: "active", replacesOrderId: order.id, storeId: order.storeId, fields: { productSpecifications: "Walnut bench, 160 cm, oiled", orderQuantity: 2 } });
    expect(replacement.submittedAt).not.toBeNull();
    expect((await reload(order.id)).replacementOrderId).toBe(replacement.id);
    expect((await reload(order.id)).state).toBe("completed");
    expect((await historyOf(conn.db, order.id)).at(-1)).toMatchObject({ kind: "replacementRequested", subject: formatOrderNumber(replacement.id) });
    expect((await historyOf(conn.db, replacement.id)).map((h) => h.kind)).toEqual(["created", "stageCompleted"]);
    const entries = await conn.db.select().from(stageEntries).where(eq(stageEntries.orderId, replacement.id)).orderBy(stageEntries.id);
    expect(entries.map((e) => [e.stage, e.completedAt !== null])).toEqual([["storeOrder", true], ["dispatchReceiving", false]]);
    // The order counters count it where it is (Receiving by Dispatch, active).
    const kept = (await conn.db.select().from(orderCounts)).filter((r) => r.n !== 0).map((r) => `${r.storeId}/${r.stage}/${r.state}=${r.n}`).sort();
    const exact = rowsOf<{ store_id: number; stage: string; state: string; n: number }>(await conn.db.execute(exactOrderCounts)).map((r) => `${r.store_id}/${r.stage}/${r.state}=${Number(r.n)}`).sort();
    expect(kept).toEqual(exact);
    // Dispatch is told as of any new order.
    const told = await conn.db.select().from(notifications).where(and(eq(notifications.orderId, replacement.id), eq(notifications.accountId, actors["dispatch@example.com"].id)));
    expect(told).toHaveLength(1);

    // Dispatch's queue: other orders are due sooner, yet the replacement comes first, above the pages.
    await driveOrder(conn.db, { storeCode: "south", to: "dispatchReceiving", startedAt: new Date(Date.now() - 3 * 3600_000) });
    const dispatch = actors["dispatch@example.com"];
    const query = orderListSchema.parse({ view: "queue" });
    expect((await replacementsFirst(conn.db, dispatch, query)).map((o) => o.id)).toEqual([replacement.id]);
    expect((await listOrders(conn.db, dispatch, query)).rows.map((o) => o.id)).not.toContain(replacement.id);
    // The store's queue holds no dispatch stage: it does not list it there.
    expect(await replacementsFirst(conn.db, actors["store.north@example.com"], query)).toEqual([]);
    // It is in dispatch's work, with the line the queue shows.
    expect((await myWork(conn.db, dispatch)).rows.map((o) => o.id)).toContain(replacement.id);
  });

  test("once per order; only for goods received wrong; only by the store that received them", async () => {
    const order = await driveOrder(conn.db, { storeCode: "north", to: "completed", received: "wrongSpecification" });
    const ask = (email: string, version = order.version, id = order.id) =>
      requestReplacement(as(email), { orderId: id, version, productSpecifications: "Oak shelf, 120 cm, as first specified", orderQuantity: "1", requiredDeliveryDate: inDays(10) });
    expect(await ask("store.south@example.com")).toMatchObject({ ok: false, formError: "Order not found" });
    expect(await ask("dispatch@example.com")).toMatchObject({ ok: false });
    const first = await ask("store.north@example.com");
    expect(first.ok).toBe(true);
    const again = await ask("store.north@example.com", (await reload(order.id)).version);
    expect(again).toMatchObject({ ok: false, formError: expect.stringMatching(/already asked for/) });
    const good = await driveOrder(conn.db, { storeCode: "north", to: "completed" });
    expect(await ask("store.north@example.com", good.version, good.id)).toMatchObject({ ok: false, formError: expect.stringMatching(/damaged or not as specified/) });
  });

  test("two asks at once make one replacement", async () => {
    const order = await driveOrder(conn.db, { storeCode: "north", to: "completed", received: "damaged" });
    const input = { orderId: order.id, version: order.version, productSpecifications: "Oak shelf, 120 cm, as first specified", orderQuantity: "1", requiredDeliveryDate: inDays(10) };
    const results = await Promise.all([requestReplacement(store(), input), requestReplacement(store(), input)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await conn.db.select().from(orders).where(eq(orders.replacesOrderId, order.id))).toHaveLength(1);
  });
});
