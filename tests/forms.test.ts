import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { type Connection, setConnection } from "@/db/client";
import { accounts, automationRules, orders, stageEntries, stores } from "@/db/schema";
import { actionDefinition, runAction } from "@/lib/auth/action";
import { loadActor } from "@/lib/auth/actor";
import type { ActionState } from "@/lib/result";
import type { Actor } from "@/lib/workflow";
import { testDatabase } from "./database";
import { type Actors, inDays, orderIn, seedActors } from "./fixtures";
import { logger } from "@/lib/log";
import { formatDateTime } from "@/lib/format";

/**
 * The forms as plain HTML forms, through the real actions on a real database: what a form posts
 * before (or without) JavaScript, a session that ended, a database that failed, the assignee's
 * "Nobody", and the steps that ask first.
 */

let conn: Connection;
let actors: Actors;
let storeIds: { north: number; south: number };
const as = (email: string): Actor => actors[email];

beforeAll(async () => {
  conn = await testDatabase();
  ({ actors, storeIds } = await seedActors(conn.db));
});
afterAll(() => conn.close());

const form = (values: Record<string, string>) => {
  const fd = new FormData();
  for (const [name, value] of Object.entries(values)) fd.append(name, value);
  return fd;
};

const modules = {
  orders: () => import("@/app/(app)/orders/actions"),
  rules: () => import("@/app/(app)/admin/rules/actions"),
  stores: () => import("@/app/(app)/admin/stores/actions"),
  users: () => import("@/app/(app)/admin/users/actions"),
};

async function act(where: keyof typeof modules, name: string, actor: Actor | null | (() => Promise<Actor | null>), values: Record<string, string>): Promise<ActionState> {
  const def = actionDefinition(((await modules[where]()) as Record<string, object>)[name])!;
  const run = await runAction(actor, def.schema, def.handler, form(values), { db: conn.db });
  // The command's own message (the wrapper's `done` would show it).
  const message = (run.success?.result as { message?: string } | undefined)?.message;
  return message ? { ...run.state, message } : run.state;
}

const stored = async (id: number) => (await conn.db.select().from(orders).where(eq(orders.id, id)))[0];

/** Every field of Receiving by Dispatch as the server draws the form for a stored order: what a browser without JavaScript posts back. */
const receivingForm = (order: { id: number; version: number }, values: Record<string, string> = {}) => ({
  orderId: String(order.id),
  version: String(order.version),
  stage: "dispatchReceiving",
  editable: "orderFeasibility,productionSchedule,specialRequirements",
  timeZone: "UTC",
  "orderFeasibility.reason": "",
  "productionSchedule.start": "",
  "productionSchedule.end": "",
  specialRequirements: "",
  ...values,
});

describe("the stage form before (and without) JavaScript: every editable field is posted", () => {
  test("Save stores what was typed; the fields left as drawn are no change", async () => {
    const order = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving" });
    const saved = await act("orders", "saveStageAction", as("dispatch@example.com"), receivingForm(order, { intent: "save", specialRequirements: "Crate with corner guards" }));
    expect(saved).toEqual({ ok: true, message: "Saved 1 field" });
    expect((await stored(order.id)).fields.specialRequirements).toBe("Crate with corner guards");
    // The same form again, as drawn from what is now stored: nothing to save.
    const after = await stored(order.id);
    const again = await act("orders", "saveStageAction", as("dispatch@example.com"), receivingForm(after, { intent: "save", specialRequirements: "Crate with corner guards\r\n" }));
    expect(again).toEqual({ ok: true, message: "No changes to save" });
  });

  test("Complete completes with what was typed, not with what was stored", async () => {
    const order = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving" });
    const done = await act(
      "orders",
      "saveStageAction",
      as("dispatch@example.com"),
      receivingForm(order, {
        intent: "complete",
        confirmOpenTodos: "on",
        "orderFeasibility.decision": "feasible",
        "productionSchedule.start": inDays(2),
        "productionSchedule.end": inDays(6),
      }),
    );
    expect(done).toEqual({ ok: true, message: "Stage completed: now in In Production" });
    const after = await stored(order.id);
    expect(after.stage).toBe("inProduction");
    expect(after.fields.orderFeasibility).toMatchObject({ decision: "feasible" });
    expect(after.fields.productionSchedule).toMatchObject({ start: inDays(2), end: inDays(6) });
  });

  test("a field left as drawn never overwrites a colleague's newer value, and is no conflict", async () => {
    const order = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving" });
    const colleague = await act("orders", "saveStageAction", as("production@example.com"), { ...receivingForm(order, { intent: "save", specialRequirements: "Oil finish" }), editable: "specialRequirements" });
    expect(colleague.ok).toBe(true);
    // The form drawn before the colleague's save: Special Requirements empty, the schedule typed.
    const mine = await act("orders", "saveStageAction", as("dispatch@example.com"), receivingForm(order, { intent: "save", "productionSchedule.start": inDays(3), "productionSchedule.end": inDays(8) }));
    expect(mine).toEqual({ ok: true, message: "Saved 1 field" });
    const after = await stored(order.id);
    expect(after.fields.specialRequirements).toBe("Oil finish");
    expect(after.fields.productionSchedule).toMatchObject({ start: inDays(3), end: inDays(8) });
    // Clearing the field the colleague filled, on that older form, is a conflict with what they did.
    const clearing = await act("orders", "saveStageAction", as("dispatch@example.com"), receivingForm(order, { intent: "save", specialRequirements: "Mine instead" }));
    expect(clearing.conflict?.changes.map((c) => c.text).join(" ")).toContain("Oil finish");
    // Each change says when, as the account reads times (its zone), drawn by the server: the page's script carries no date formatting for it.
    const change = clearing.conflict!.changes[0];
    expect(change.when).toBe(formatDateTime(change.at, as("dispatch@example.com").timeZone));
    expect(change.when).toMatch(/^\d{1,2} \w{3} \d{4}, \d{2}:\d{2} /);
  });

  test("a date and time is typed as a wall time in the zone the form names, and drawn back the same", async () => {
    const order = await orderIn(conn.db, { storeCode: "north", to: "dispatching" });
    const wall = `${inDays(5)}T14:30`;
    const shipment = (o: { id: number; version: number }, extra: Record<string, string>) => ({
      orderId: String(o.id),
      version: String(o.version),
      stage: "dispatching",
      editable: "shipmentMethod,trackingNumber,estimatedDeliveryTime",
      timeZone: "Europe/Berlin",
      shipmentMethod: "courier",
      trackingNumber: "CR-1",
      estimatedDeliveryTime: wall,
      intent: "save",
      ...extra,
    });
    expect(await act("orders", "saveStageAction", as("dispatch@example.com"), shipment(order, {}))).toEqual({ ok: true, message: "Saved 3 fields" });
    const after = await stored(order.id);
    const instant = new Date(after.fields.estimatedDeliveryTime!);
    expect(new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Berlin", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(instant)).toBe("14:30");
    // Drawn back in the same zone, the untouched field is no change.
    expect(await act("orders", "saveStageAction", as("dispatch@example.com"), shipment(after, {}))).toEqual({ ok: true, message: "No changes to save" });
  });

  test("another store's order: not found, whether or not the posted values match what it holds", async () => {
    const order = await orderIn(conn.db, { storeCode: "north", to: "storeOrder" });
    const guess = await act("orders", "saveStageAction", as("store.south@example.com"), {
      orderId: String(order.id),
      version: String(order.version),
      stage: "storeOrder",
      editable: "productSpecifications",
      productSpecifications: order.fields.productSpecifications!,
      intent: "save",
    });
    expect(guess.notFound).toBe(true);
    expect(guess.message).toBeUndefined();
  });
});

describe("a session that ended, a database that failed", () => {
  test("signed out: nothing done, the form keeps what was typed and says to sign in again", async () => {
    const order = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving" });
    const state = await act("orders", "saveStageAction", null, receivingForm(order, { intent: "save", specialRequirements: "Typed while signed out" }));
    expect(state).toMatchObject({ ok: false, signedOut: true, values: { specialRequirements: "Typed while signed out" } });
    expect(state.formError).toMatch(/^You were signed out — sign in again \(opens a new tab\)/);
    expect((await stored(order.id)).fields.specialRequirements).toBeUndefined();
  });

  test("the database failing while the session is read: the form's message with a reference, the input kept", async () => {
    const order = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving" });
    const broken = await testDatabase();
    await broken.close();
    setConnection(conn);
    const logged = vi.spyOn(logger, "error").mockImplementation(() => {});
    try {
      const dispatch = as("dispatch@example.com");
      const state = await act("orders", "saveStageAction", () => loadActor(broken.db, dispatch.id), receivingForm(order, { intent: "save", specialRequirements: "Typed during a blip" }));
      expect(state.ok).toBe(false);
      expect(state.formError).toMatch(/^Something went wrong on our side \(reference [0-9a-f]{8}\)\. Nothing was saved, and what you typed is still here/);
      expect(state.values?.specialRequirements).toBe("Typed during a blip");
      const ref = /reference ([0-9a-f]{8})/.exec(state.formError!)![1];
      expect(logged.mock.calls.at(-1)?.[0]).toMatchObject({ ref });
      expect(JSON.stringify(logged.mock.calls.at(-1))).not.toContain("Typed during a blip");
    } finally {
      logged.mockRestore();
    }
  });
});

describe("who works the stage: the value is parsed by the action and again by the command", () => {
  test("the owner assigns Nobody, and a worker lets go of their own claim", async () => {
    const order = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving" });
    const production = as("production@example.com");
    const entry = async () => (await conn.db.select().from(stageEntries).where(eq(stageEntries.orderId, order.id))).find((e) => !e.completedAt)!;
    const version = async () => String((await stored(order.id)).version);

    expect((await act("orders", "assignStageAction", as("dispatch@example.com"), { orderId: String(order.id), version: await version(), accountId: String(production.id) })).ok).toBe(true);
    expect((await entry()).assignedTo).toBe(production.id);
    const nobody = await act("orders", "assignStageAction", as("dispatch@example.com"), { orderId: String(order.id), version: await version(), accountId: "" });
    expect(nobody).toMatchObject({ ok: true });
    expect((await entry()).assignedTo).toBeNull();

    expect((await act("orders", "assignStageAction", production, { orderId: String(order.id), version: await version(), accountId: "me" })).ok).toBe(true);
    expect((await entry()).assignedTo).toBe(production.id);
    const released = await act("orders", "assignStageAction", production, { orderId: String(order.id), version: await version(), accountId: "" });
    expect(released).toMatchObject({ ok: true });
    expect((await entry()).assignedTo).toBeNull();
  });
});

describe("steps that are hard to undo ask first", () => {
  const admin = () => as("admin@example.com");

  test("deactivating an account: the question, nothing done; then done when confirmed", async () => {
    const [target] = await conn.db.select().from(accounts).where(eq(accounts.email, "qc@example.com"));
    const asked = await act("users", "setAccountActiveAction", admin(), { accountId: String(target.id), active: "false" });
    expect(asked.confirm).toEqual({ question: expect.stringContaining("Deactivate Quinn Quality"), yes: "Yes, deactivate the account" });
    expect((await conn.db.select().from(accounts).where(eq(accounts.id, target.id)))[0].active).toBe(true);
    expect((await act("users", "setAccountActiveAction", admin(), { accountId: String(target.id), active: "false", confirmed: "on" })).ok).toBe(true);
    expect((await conn.db.select().from(accounts).where(eq(accounts.id, target.id)))[0].active).toBe(false);
    // Reactivating asks nothing.
    expect((await act("users", "setAccountActiveAction", admin(), { accountId: String(target.id), active: "true" })).ok).toBe(true);
  });

  test("archiving a store with open orders asks, naming how many; one without archives at once", async () => {
    await orderIn(conn.db, { storeCode: "south", to: "storeOrder" });
    const asked = await act("stores", "archiveStoreAction", admin(), { storeId: String(storeIds.south), archived: "on" });
    expect(asked.confirm?.question).toMatch(/^South has \d+ open orders?\. Archive it anyway\?/);
    expect((await conn.db.select().from(stores).where(eq(stores.id, storeIds.south)))[0].archivedAt).toBeNull();
    expect((await act("stores", "archiveStoreAction", admin(), { storeId: String(storeIds.south), archived: "on", confirmed: "on" })).ok).toBe(true);
    expect((await conn.db.select().from(stores).where(eq(stores.id, storeIds.south)))[0].archivedAt).not.toBeNull();
    expect((await act("stores", "archiveStoreAction", admin(), { storeId: String(storeIds.south), archived: "" })).ok).toBe(true);

    const [quiet] = await conn.db.insert(stores).values({ code: "quiet", name: "Quiet" }).returning();
    expect((await act("stores", "archiveStoreAction", admin(), { storeId: String(quiet.id), archived: "on" })).ok).toBe(true);
  });

  test("deleting a rule asks first; confirmed, it is gone", async () => {
    const [rule] = await conn.db
      .insert(automationRules)
      .values({ key: "ask-first-test", name: "Ask first", enabled: false, trigger: { type: "stage_entered", stage: "dispatching" }, recipients: [{ kind: "role", role: "dispatchTeam" }], message: "{order}", priority: "normal" })
      .returning();
    const asked = await act("rules", "deleteRuleAction", admin(), { ruleId: String(rule.id) });
    expect(asked.confirm).toEqual({ question: expect.stringContaining("Delete the rule “Ask first”?"), yes: "Yes, delete the rule" });
    expect(await conn.db.select().from(automationRules).where(eq(automationRules.id, rule.id))).toHaveLength(1);
    expect((await act("rules", "deleteRuleAction", admin(), { ruleId: String(rule.id), confirmed: "on" })).ok).toBe(true);
    // Deleted is archived (decision 022): it no longer fires, and Undo can bring it back.
    const [archived] = await conn.db.select().from(automationRules).where(eq(automationRules.id, rule.id));
    expect(archived.archivedAt).toBeInstanceOf(Date);
  });
});
