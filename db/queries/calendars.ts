import "server-only";
import { asc, eq, isNull, or } from "drizzle-orm";
import { type WorkCalendar, aroundTheClock, calendarFrom } from "@/lib/time/calendar";
import type { OrderCalendars } from "@/lib/workflow";
import type { Executor } from "../client";
import { shopSettings, stores, workCalendars } from "../schema";

/** The shop's zone (shop_settings, written by `npm run setup`; UTC until then). */
export async function shopTimeZone(db: Executor): Promise<string> {
  const [row] = await db.select({ timeZone: shopSettings.timeZone }).from(shopSettings);
  return row?.timeZone ?? "UTC";
}

/** The shop's calendar row (null: none yet, the shop works around the clock) and its zone. */
export async function shopCalendarRow(db: Executor) {
  const [[row], timeZone] = await Promise.all([db.select().from(workCalendars).where(isNull(workCalendars.storeId)), shopTimeZone(db)]);
  return { calendar: row ?? null, timeZone };
}

/** Every store with its calendar row, if it has one: the calendars page. */
export async function storeCalendarRows(db: Executor) {
  return db
    .select({ storeId: stores.id, name: stores.name, code: stores.code, timeZone: stores.timeZone, archived: stores.archivedAt, week: workCalendars.week, holidays: workCalendars.holidays })
    .from(stores)
    .leftJoin(workCalendars, eq(workCalendars.storeId, stores.id))
    .orderBy(asc(stores.name), asc(stores.id));
}

/** The calendars an order of `storeId` runs on: the shop's and the store's (in the store's zone). */
export async function orderCalendars(db: Executor, storeId: number): Promise<OrderCalendars> {
  const [store] = await db.select({ timeZone: stores.timeZone }).from(stores).where(eq(stores.id, storeId));
  const rows = await db
    .select({ storeId: workCalendars.storeId, week: workCalendars.week, holidays: workCalendars.holidays })
    .from(workCalendars)
    .where(or(isNull(workCalendars.storeId), eq(workCalendars.storeId, storeId)));
  const shopZone = await shopTimeZone(db);
  const shop = rows.find((r) => r.storeId === null);
  const own = rows.find((r) => r.storeId === storeId);
  const storeZone = store?.timeZone ?? "UTC";
  return {
    shop: shop ? calendarFrom(shopZone, shop.week, shop.holidays) : aroundTheClock(shopZone),
    store: own ? calendarFrom(storeZone, own.week, own.holidays) : aroundTheClock(storeZone),
  };
}

export type { WorkCalendar };
