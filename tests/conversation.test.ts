import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { and, eq, isNull } from "drizzle-orm";
import type { Connection } from "@/db/client";
import { devMailbox, notificationPreferences, notifications, orderComments, orderHistory, orders, stageEntries } from "@/db/schema";
import { listInbox, unreadCount } from "@/db/queries/notifications";
import { orderDetail } from "@/db/queries/orders";
import { deliverPendingEmails } from "@/lib/email/outbox";
import { can } from "@/lib/auth/policy";
import { markOrderNotificationsRead } from "@/lib/inbox/commands";
import { completeStage, reviseOrder, saveFields } from "@/lib/orders/commands";
import { addComment, editComment } from "@/lib/orders/conversation";
import { assignStage } from "@/lib/orders/people";
import { acceptProposal, proposeAlternative } from "@/lib/orders/proposals";
import { testDatabase } from "./database";
import { type Actors, inDays, orderIn, seedActors } from "./fixtures";

/** Comments and mentions, the inbox that empties, a person on the order, and proposals for held orders. */

let conn: Connection;
let actors: Actors;
const north = () => actors["store.north@example.com"];
const south = () => actors["store.south@example.com"];
const dana = () => actors["dispatch@example.com"];
const pat = () => actors["production@example.com"];

beforeAll(async () => {
  conn = await testDatabase();
  actors = (await seedActors(conn.db)).actors;
});
afterAll(() => conn?.close());

describe("comments and mentions", () => {
  test("a South manager cannot be mentioned on a North order, and cannot see it", async () => {
    const o = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving" });
    const r = await addComment({ db: conn.db, actor: north() }, { orderId: o.id, body: "Can @store.south help?" });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.fieldErrors?.body).toEqual(["No one called @store.south can be mentioned on this order"]);
    // Someone elsewhere reads exactly like no one at all: the refusal tells nobody who exists.
    const nobody = await addComment({ db: conn.db, actor: north() }, { orderId: o.id, body: "Can @store.nowhere help?" });
    expect(!nobody.ok && nobody.fieldErrors?.body).toEqual(["No one called @store.nowhere can be mentioned on this order"]);
    expect(await conn.db.select().from(orderComments).where(eq(orderComments.orderId, o.id))).toHaveLength(0);
    expect(can.order(south(), "readOrder", o)).toBe(false);
    expect((await addComment({ db: conn.db, actor: south() }, { orderId: o.id, body: "Hello" })).ok).toBe(false);
  });

  test("a mention notifies the person, in the app and by email, once; the author is never told of their own", async () => {
    const o = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving" });
    const before = await unreadCount(conn.db, dana());
    const r = await addComment({ db: conn.db, actor: north() }, { orderId: o.id, body: "@Dana can we get this sooner? See https://example.com/spec @Nora" });
    expect(r.ok).toBe(true);
    expect(await unreadCount(conn.db, dana())).toBe(before + 1);
    const mine = await conn.db.select().from(notifications).where(and(eq(notifications.orderId, o.id), eq(notifications.accountId, north().id)));
    expect(mine).toHaveLength(0);
    const [n] = await conn.db.select().from(notifications).where(and(eq(notifications.orderId, o.id), eq(notifications.accountId, dana().id)));
    expect(n.message).toMatch(/^Nora North mentioned you on MO-\d+: “@Dana can we get this sooner\?/);
    await deliverPendingEmails(conn.db);
    const mail = await conn.db.select().from(devMailbox).where(eq(devMailbox.idempotencyKey, n.id));
    expect(mail).toHaveLength(1);
    // Unknown names are refused on the field too.
    const unknown = await addComment({ db: conn.db, actor: north() }, { orderId: o.id, body: "@Nobody?" });
    expect(!unknown.ok && unknown.fieldErrors?.body).toEqual(["No one called @Nobody can be mentioned on this order"]);
  });

  test("in-app only: the mention is an alert, and no email", async () => {
    await conn.db.insert(notificationPreferences).values({ accountId: pat().id, topic: "mention", mode: "none" });
    const o = await orderIn(conn.db, { storeCode: "north", to: "inProduction" });
    expect((await addComment({ db: conn.db, actor: dana() }, { orderId: o.id, body: "@Pat status?" })).ok).toBe(true);
    const [n] = await conn.db.select().from(notifications).where(and(eq(notifications.orderId, o.id), eq(notifications.accountId, pat().id)));
    expect(n).toMatchObject({ emailMode: "none", emailStatus: "skipped" });
  });

  test("the author edits within 10 minutes, kept in history; others and later are refused", async () => {
    const o = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving" });
    const t0 = new Date();
    const r = await addComment({ db: conn.db, actor: north(), now: t0 }, { orderId: o.id, body: "First text" });
    if (!r.ok) throw new Error(JSON.stringify(r));
    const edit = (actor = north(), minutes = 9) => editComment({ db: conn.db, actor, now: new Date(t0.getTime() + minutes * 60_000) }, { commentId: r.comment.id, body: "Second text" });
    expect((await edit(dana())).ok).toBe(false);
    expect((await edit(north(), 11)).ok).toBe(false);
    const ok = await edit();
    expect(ok.ok && ok.comment.body).toBe("Second text");
    const events = await conn.db.select().from(orderHistory).where(and(eq(orderHistory.orderId, o.id), eq(orderHistory.kind, "commentEdited")));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ before: { body: "First text" }, after: { body: "Second text" } });
    // A comment is no change to the order: no version raised, so nobody's form conflicts.
    expect((await conn.db.select().from(orders).where(eq(orders.id, o.id)))[0].version).toBe(o.version);
  });
});

describe("the inbox empties", () => {
  test("opening an order marks that account's alerts for it read, nobody else's", async () => {
    const o = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving" });
    await addComment({ db: conn.db, actor: north() }, { orderId: o.id, body: "@Dana and @Pat please look" });
    const danaBefore = await unreadCount(conn.db, dana());
    const patBefore = await unreadCount(conn.db, pat());
    const r = await markOrderNotificationsRead({ db: conn.db, actor: dana() }, { orderId: o.id });
    expect(r.ok && r.count).toBeGreaterThanOrEqual(1);
    expect(await unreadCount(conn.db, dana())).toBeLessThan(danaBefore);
    expect(await unreadCount(conn.db, pat())).toBe(patBefore);
    const unreadForOrder = await conn.db.select().from(notifications).where(and(eq(notifications.orderId, o.id), eq(notifications.accountId, dana().id), isNull(notifications.readAt)));
    expect(unreadForOrder).toHaveLength(0);
  });

  test("filters: unread, priority and rule (mentions)", async () => {
    const all = await listInbox(conn.db, dana());
    const mentions = await listInbox(conn.db, dana(), { rule: "mention" });
    expect(mentions.rows.every((r) => r.commentId !== null)).toBe(true);
    expect(mentions.total).toBeGreaterThan(0);
    const unread = await listInbox(conn.db, dana(), { unread: "1" });
    expect(unread.rows.every((r) => r.readAt === null)).toBe(true);
    expect(unread.total).toBeLessThan(all.total);
    const high = await listInbox(conn.db, dana(), { priority: "high" });
    expect(high.rows.every((r) => r.priority === "high")).toBe(true);
  });
});

describe("a person on the order", () => {
  test("claim, owner assigns, the claim ends when the stage completes", async () => {
    const o = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving" });
    const claimed = await assignStage({ db: conn.db, actor: pat() }, { orderId: o.id, version: o.version, accountId: "me" });
    if (!claimed.ok) throw new Error(JSON.stringify(claimed));
    // Someone else's claim is the owner's to change.
    const qcTries = await assignStage({ db: conn.db, actor: actors["qc@example.com"] }, { orderId: o.id, version: claimed.order.version, accountId: "me" });
    expect(qcTries.ok).toBe(false);
    const reassigned = await assignStage({ db: conn.db, actor: dana() }, { orderId: o.id, version: claimed.order.version, accountId: String(dana().id) });
    if (!reassigned.ok) throw new Error(JSON.stringify(reassigned));
    const wrong = await assignStage({ db: conn.db, actor: dana() }, { orderId: o.id, version: reassigned.order.version, accountId: String(north().id) });
    expect(!wrong.ok && wrong.fieldErrors?.accountId).toBeTruthy();
    const saved = await saveFields({ db: conn.db, actor: dana() }, { orderId: o.id, version: reassigned.order.version, values: { orderFeasibility: { decision: "feasible" }, productionSchedule: { start: inDays(1), end: inDays(2), confirmed: "on" } } });
    if (!saved.ok) throw new Error(JSON.stringify(saved));
    const done = await completeStage({ db: conn.db, actor: dana() }, { orderId: o.id, version: saved.order.version, confirmOpenTodos: true });
    if (!done.ok) throw new Error(JSON.stringify(done));
    const open = await conn.db.select().from(stageEntries).where(and(eq(stageEntries.orderId, o.id), isNull(stageEntries.completedAt)));
    expect(open[0]).toMatchObject({ stage: "inProduction", assignedTo: null });
  });
});

describe("not feasible, with a way forward", () => {
  test("revising and accepting a proposal send a held order back alike (transitions.ts returnTo): the same fields and to-dos reset, only the stage differs", async () => {
    const heldOrder = async () => {
      const o = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving", quantity: 40 });
      const values = {
        orderFeasibility: { decision: "notFeasible", reason: "Only 25 a week" },
        productionSchedule: { start: inDays(3), end: inDays(8) },
        specialRequirements: "Pack in pairs",
      };
      const saved = await saveFields({ db: conn.db, actor: dana() }, { orderId: o.id, version: o.version, values });
      if (!saved.ok) throw new Error(JSON.stringify(saved));
      const held = await completeStage({ db: conn.db, actor: dana() }, { orderId: o.id, version: saved.order.version, confirmOpenTodos: true });
      if (!held.ok) throw new Error(JSON.stringify(held));
      return held.order;
    };
    const [a, b] = [await heldOrder(), await heldOrder()];
    const revised = await reviseOrder({ db: conn.db, actor: north() }, { orderId: a.id, version: a.version });
    if (!revised.ok) throw new Error(JSON.stringify(revised));
    // A proposal that changes nothing but answers the hold: the return alone is compared.
    const p = await proposeAlternative({ db: conn.db, actor: dana() }, { orderId: b.id, version: b.version, orderQuantity: "40" });
    if (!p.ok) throw new Error(JSON.stringify(p));
    const accepted = await acceptProposal({ db: conn.db, actor: north() }, { orderId: b.id, version: p.order.version });
    if (!accepted.ok) throw new Error(JSON.stringify(accepted));
    const returned = (o: typeof revised.order) => ({ state: o.state, fields: o.fields, doneTodos: [...o.doneTodos].sort(), proposal: o.proposal, productSummary: o.productSummary });
    expect(returned(revised.order)).toEqual(returned(accepted.order));
    expect(revised.order.fields.productionSchedule).toBeUndefined();
    expect(revised.order.fields.orderFeasibility).toBeUndefined();
    expect(revised.order.fields.specialRequirements).toBe("Pack in pairs");
    expect([revised.order.stage, accepted.order.stage]).toEqual(["storeOrder", "dispatchReceiving"]);
  });

  test("dispatch proposes; the store accepts: fields change in history, back to Receiving by Dispatch, feasibility reset, dispatch told", async () => {
    const o = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving", quantity: 40 });
    const nf = await saveFields({ db: conn.db, actor: dana() }, { orderId: o.id, version: o.version, values: { orderFeasibility: { decision: "notFeasible", reason: "Only 25 a week" } } });
    if (!nf.ok) throw new Error(JSON.stringify(nf));
    const held = await completeStage({ db: conn.db, actor: dana() }, { orderId: o.id, version: nf.order.version, confirmOpenTodos: true });
    if (!held.ok) throw new Error(JSON.stringify(held));
    expect(held.order.state).toBe("onHold");
    const date = inDays(30);
    const p = await proposeAlternative({ db: conn.db, actor: dana() }, { orderId: o.id, version: held.order.version, requiredDeliveryDate: date, orderQuantity: "25" });
    if (!p.ok) throw new Error(JSON.stringify(p));
    expect((await acceptProposal({ db: conn.db, actor: south() }, { orderId: o.id, version: p.order.version })).ok).toBe(false);
    const before = await unreadCount(conn.db, dana());
    const a = await acceptProposal({ db: conn.db, actor: north() }, { orderId: o.id, version: p.order.version });
    if (!a.ok) throw new Error(JSON.stringify(a));
    expect(a.order).toMatchObject({ state: "active", stage: "dispatchReceiving", proposal: null, requiredDeliveryDate: date });
    expect(a.order.fields.orderQuantity).toBe(25);
    expect(a.order.fields.orderFeasibility).toBeUndefined();
    const detail = await orderDetail(conn.db, o.id);
    const kinds = detail!.history.map((h) => `${h.event.kind}:${h.event.subject ?? ""}`);
    expect(kinds).toEqual(expect.arrayContaining(["fieldChanged:orderQuantity", "fieldChanged:requiredDeliveryDate", "proposalAccepted:proposal", "proposed:proposal"]));
    // Entering Receiving by Dispatch again is a new occasion of the "New order" rule.
    expect(await unreadCount(conn.db, dana())).toBe(before + 1);
  });
});
