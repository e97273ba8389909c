import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { count, eq, sql } from "drizzle-orm";
import type { Connection, Db } from "@/db/client";
import { accounts, devMailbox, emailDigests, notificationPreferences, notifications, orders, stageEntries, storeMembers, stores } from "@/db/schema";
import { runAutomations } from "@/lib/automation/runner";
import { ruleTopic } from "@/lib/automation/preferences";
import { automationRules } from "@/db/schema";
import { seedBase } from "@/lib/demo/seed";
import { testDatabase } from "./database";
import { onlyCardRules } from "./fixtures";
import { demoActor } from "@/lib/demo/seed";
import { saveNotificationPreferences } from "@/lib/inbox/preferences";

/** Digests, not storms: grouping per recipient per pass above 3, preferences, and the daily digest. */

const HOUR = 3600_000;
let conn: Connection;
let storeId: number;
let patId: number;
let ruleId: number;

async function overdueOrders(db: Db, n: number, dueAt: Date) {
  const rows = await db
    .insert(orders)
    .values(Array.from({ length: n }, (_, i) => ({ storeId, stage: "inProduction" as const, state: "active" as const, stageEnteredAt: new Date(dueAt.getTime() - 120 * HOUR), stageDueAt: dueAt, fields: { productSpecifications: `Digest order ${i}` }, productSummary: `Digest order ${i}` })))
    .returning({ id: orders.id, at: orders.stageEnteredAt });
  await db.insert(stageEntries).values(rows.map((o) => ({ orderId: o.id, stage: "inProduction" as const, enteredAt: o.at, dueAt })));
  return rows.map((r) => r.id);
}
const mail = async () => conn.db.select().from(devMailbox).orderBy(devMailbox.id);

beforeAll(async () => {
  conn = await testDatabase();
  await seedBase(conn.db);
  await onlyCardRules(conn.db);
  storeId = (await conn.db.select().from(stores).where(eq(stores.code, "north")))[0].id;
  patId = (await conn.db.select().from(accounts).where(eq(accounts.email, "production@example.com")))[0].id;
  ruleId = (await conn.db.select().from(automationRules).where(eq(automationRules.key, "stage-overdue-escalation")))[0].id;
});
afterAll(() => conn?.close());

describe("grouped emails", () => {
  test("three due at once go out one by one; five go out as one email listing the five orders with links", async () => {
    const t1 = new Date("2026-05-04T10:00:00Z");
    await overdueOrders(conn.db, 3, new Date(t1.getTime() - HOUR));
    const first = await runAutomations({ db: conn.db, now: t1 });
    expect(first).toMatchObject({ fired: 3, sent: 3, grouped: 0 });
    const sent = (await mail()).length;

    const t2 = new Date(t1.getTime() + HOUR);
    const ids = await overdueOrders(conn.db, 5, new Date(t2.getTime() - HOUR));
    const second = await runAutomations({ db: conn.db, now: t2 });
    expect(second).toMatchObject({ fired: 5, sent: 1, grouped: 1 });
    const all = await mail();
    expect(all).toHaveLength(sent + 1);
    const digest = all[all.length - 1];
    expect(digest.subject).toBe("Makeline: 5 alerts on 5 orders");
    for (const id of ids) expect(digest.text).toContain(`/orders/${id}`);
    const [row] = await conn.db.select().from(emailDigests);
    expect(digest.idempotencyKey).toBe(row.id);
    const members = await conn.db.select({ n: count() }).from(notifications).where(eq(notifications.digestId, row.id));
    expect(members[0].n).toBe(5);
    // Each member is marked sent with the grouped email; a later pass sends nothing again.
    expect(await runAutomations({ db: conn.db, now: new Date(t2.getTime() + 60_000) })).toMatchObject({ sent: 0, grouped: 0 });
    expect(await mail()).toHaveLength(sent + 1);
  });
});

describe("preferences", () => {
  test("an account saves its own choices and digest hour; a rule that does not exist is ignored", async () => {
    const dana = await demoActor(conn.db, "dispatch@example.com");
    const r = await saveNotificationPreferences({ db: conn.db, actor: dana }, { digestHour: "6", mode: { [ruleTopic(ruleId)]: "digest", "rule:999999": "none", mention: "none" } });
    expect(r.ok).toBe(true);
    const rows = await conn.db.select().from(notificationPreferences).where(eq(notificationPreferences.accountId, dana.id));
    expect(rows.map((x) => `${x.topic}=${x.mode}`).sort()).toEqual(["mention=none", `${ruleTopic(ruleId)}=digest`]);
    expect((await conn.db.select().from(accounts).where(eq(accounts.id, dana.id)))[0].digestHour).toBe(6);
    const bad = await saveNotificationPreferences({ db: conn.db, actor: dana }, { digestHour: "25", mode: { mention: "loud" } });
    expect(!bad.ok && Object.keys(bad.fieldErrors ?? {}).sort()).toEqual(["digestHour", "mode.mention"]);
  });

  test("in-app only: alerts, no email", async () => {
    await conn.db.insert(notificationPreferences).values({ accountId: patId, topic: ruleTopic(ruleId), mode: "none" });
    const t = new Date("2026-05-05T10:00:00Z");
    await overdueOrders(conn.db, 2, new Date(t.getTime() - HOUR));
    const before = (await mail()).length;
    expect(await runAutomations({ db: conn.db, now: t })).toMatchObject({ fired: 2, notified: 2, sent: 0 });
    expect(await mail()).toHaveLength(before);
    const skipped = await conn.db.select({ n: count() }).from(notifications).where(eq(notifications.emailStatus, "skipped"));
    expect(skipped[0].n).toBe(2);
  });

  test("daily digest at the account's local hour: nothing before, one email then", async () => {
    await conn.db.update(notificationPreferences).set({ mode: "digest" }).where(eq(notificationPreferences.accountId, patId));
    await conn.db.update(accounts).set({ timeZone: "Europe/Berlin", digestHour: 7 }).where(eq(accounts.id, patId));
    const t = new Date("2026-05-06T10:00:00Z");
    await overdueOrders(conn.db, 2, new Date(t.getTime() - HOUR));
    const before = (await mail()).length;
    expect(await runAutomations({ db: conn.db, now: t })).toMatchObject({ fired: 2, sent: 0 });
    const due = await conn.db.select({ at: notifications.emailNextAttemptAt }).from(notifications).where(sql`${notifications.emailMode} = 'digest'`);
    // 07:00 in Berlin (CEST) the next day is 05:00Z.
    expect(due.map((d) => d.at.toISOString())).toEqual(["2026-05-07T05:00:00.000Z", "2026-05-07T05:00:00.000Z"]);
    expect(await runAutomations({ db: conn.db, now: new Date("2026-05-07T04:59:00Z") })).toMatchObject({ sent: 0 });
    expect(await runAutomations({ db: conn.db, now: new Date("2026-05-07T05:00:00Z") })).toMatchObject({ sent: 1, grouped: 1 });
    const last = (await mail()).at(-1)!;
    expect(await mail()).toHaveLength(before + 1);
    expect(last.subject).toBe("Your daily Makeline digest: 2 alerts on 2 orders");
  });
});

describe("recipients asked again when the email is sent", () => {
  /** A store manager of North and South, with alerts about orders of both. */
  async function managerOfBoth(tag: string) {
    const [north, south] = [(await conn.db.select().from(stores).where(eq(stores.code, "north")))[0], (await conn.db.select().from(stores).where(eq(stores.code, "south")))[0]];
    const [manager] = await conn.db.insert(accounts).values({ email: `${tag}@example.com`, name: `Manager ${tag}`, passwordHash: "x", roles: ["storeManager"] }).returning({ id: accounts.id });
    await conn.db.insert(storeMembers).values([{ accountId: manager.id, storeId: north.id }, { accountId: manager.id, storeId: south.id }]);
    const order = async (store: number, product: string) =>
      (await conn.db.insert(orders).values({ storeId: store, stage: "storeReceived", state: "active", stageEnteredAt: new Date(), stageDueAt: new Date(Date.now() + 48 * HOUR), fields: {}, productSummary: product }).returning({ id: orders.id }))[0].id;
    return { manager: manager.id, north: north.id, south: south.id, order };
  }
  const leave = (accountId: number, store: number) => conn.db.delete(storeMembers).where(sql`${storeMembers.accountId} = ${accountId} and ${storeMembers.storeId} = ${store}`);

  test("a daily digest sent after the manager left a store names none of that store's orders", async () => {
    const { manager, north, south, order } = await managerOfBoth("digest-leaver");
    const northOrders = [await order(north, "North walnut table"), await order(north, "North oak bench")];
    const southOrder = await order(south, "South pine shelf");
    const at = new Date("2026-05-08T05:00:00Z");
    await conn.db.insert(notifications).values([...northOrders, southOrder].map((orderId) => ({ accountId: manager, orderId, message: "Your order shipped", priority: "normal" as const, emailMode: "digest" as const, emailNextAttemptAt: at })));
    // Fired while they were North's manager; North is no longer theirs when the digest goes out.
    await leave(manager, north);
    const before = (await mail()).length;
    await runAutomations({ db: conn.db, now: at });
    const sent = (await mail()).slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0].text).toContain(`/orders/${southOrder}`);
    expect(sent[0].html).toContain("South pine shelf");
    for (const id of northOrders) expect(sent[0].html).not.toMatch(new RegExp(`/orders/${id}(?!\\d)`));
    expect(sent[0].html).not.toContain("North walnut table");
    expect(sent[0].subject).toBe("Your daily Makeline digest: 1 alert on 1 order");
    const rows = await conn.db.select({ orderId: notifications.orderId, status: notifications.emailStatus, error: notifications.emailLastError }).from(notifications).where(eq(notifications.accountId, manager));
    expect(rows.filter((r) => r.orderId !== null && northOrders.includes(r.orderId)).map((r) => r.status)).toEqual(["skipped", "skipped"]);
    expect(rows.find((r) => r.orderId === southOrder)?.status).toBe("sent");
  });

  test("a single email, and a deactivated account: nothing sent, the reason kept", async () => {
    const { manager, north, south, order } = await managerOfBoth("single-leaver");
    const northOrder = await order(north, "North cedar door");
    const southOrder = await order(south, "South elm stool");
    const at = new Date("2026-05-09T09:00:00Z");
    const [a, b] = await conn.db.insert(notifications).values([northOrder, southOrder].map((orderId) => ({ accountId: manager, orderId, message: "Not feasible", priority: "high" as const, emailNextAttemptAt: at }))).returning({ id: notifications.id });
    await leave(manager, north);
    const before = (await mail()).length;
    const pass = await runAutomations({ db: conn.db, now: at });
    expect(pass).toMatchObject({ sent: 1, skipped: 1 });
    const sent = (await mail()).slice(before);
    expect(sent.map((m) => m.idempotencyKey)).toEqual([b.id]);
    const skipped = (await conn.db.select().from(notifications).where(eq(notifications.id, a.id)))[0];
    expect(skipped).toMatchObject({ emailStatus: "skipped", emailAttempts: 0, emailLockedUntil: null });
    expect(skipped.emailLastError).toMatch(/may no longer read this order/);

    const another = (await conn.db.insert(notifications).values({ accountId: manager, orderId: southOrder, message: "Again", priority: "high", emailNextAttemptAt: at }).returning({ id: notifications.id }))[0];
    await conn.db.update(accounts).set({ active: false }).where(eq(accounts.id, manager));
    expect(await runAutomations({ db: conn.db, now: new Date(at.getTime() + 60_000) })).toMatchObject({ sent: 0, skipped: 1 });
    expect((await conn.db.select().from(notifications).where(eq(notifications.id, another.id)))[0].emailStatus).toBe("skipped");
  });
});
