import { afterAll, beforeAll, expect, test } from "vitest";
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Connection } from "@/db/client";
import { notifications } from "@/db/schema";
import { UNREAD_SHOWN_UP_TO, unreadCount, unreadLabel } from "@/db/queries/notifications";
import { markOrderNotificationsRead } from "@/lib/inbox/commands";
import { testDatabase } from "./database";
import { type Actors, orderIn, seedActors } from "./fixtures";

/**
 * The unread count on every page: exact up to 99, "99+" past it (read from the partial index of
 * unread alerts, never counting them all: the bench times it), and only alerts on orders the
 * account may still read.
 */

let conn: Connection;
let actors: Actors;
const nora = () => actors["store.north@example.com"];
const dana = () => actors["dispatch@example.com"];

beforeAll(async () => {
  conn = await testDatabase();
  actors = (await seedActors(conn.db)).actors;
});
afterAll(() => conn?.close());

async function alert(accountId: number, orderId: number, times: number) {
  await conn.db.insert(notifications).values(Array.from({ length: times }, (_, i) => ({ accountId, orderId, message: `Alert ${i}`, priority: "normal" as const })));
}

test("a store manager's count is exact up to 99, '99+' past it, and never counts another store's orders", async () => {
  const north = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving" });
  const south = await orderIn(conn.db, { storeCode: "south", to: "dispatchReceiving" });
  // Alerts on a South order (say, from before Nora moved stores) are not hers to read.
  await alert(nora().id, south.id, 150);
  const before = await unreadCount(conn.db, nora());
  await alert(nora().id, north.id, UNREAD_SHOWN_UP_TO - before);
  expect(await unreadCount(conn.db, nora())).toBe(UNREAD_SHOWN_UP_TO);
  expect(unreadLabel(await unreadCount(conn.db, nora()))).toBe("99");

  await alert(nora().id, north.id, 1);
  expect(unreadLabel(await unreadCount(conn.db, nora()))).toBe("99+");
  await alert(nora().id, north.id, 400);
  expect(unreadLabel(await unreadCount(conn.db, nora()))).toBe("99+");

  // Reading the order's alerts brings the count back to what is left: the South ones do not count.
  await markOrderNotificationsRead({ db: conn.db, actor: nora() }, { orderId: north.id });
  expect(await unreadCount(conn.db, nora())).toBe(before);
});

test("an account that sees every store: 120 unread alerts show as '99+', 99 as 99", async () => {
  const order = await orderIn(conn.db, { storeCode: "south", to: "dispatchReceiving" });
  await conn.db.update(notifications).set({ readAt: new Date() }).where(and(eq(notifications.accountId, dana().id), isNull(notifications.readAt)));
  await alert(dana().id, order.id, 120);
  expect(await unreadCount(conn.db, dana())).toBe(UNREAD_SHOWN_UP_TO + 1);
  expect(unreadLabel(await unreadCount(conn.db, dana()))).toBe("99+");
  const ids = (await conn.db.select({ id: notifications.id }).from(notifications).where(and(eq(notifications.accountId, dana().id), isNull(notifications.readAt))).limit(21)).map((r) => r.id);
  await conn.db.update(notifications).set({ readAt: new Date() }).where(inArray(notifications.id, ids));
  expect(unreadLabel(await unreadCount(conn.db, dana()))).toBe("99");
});
