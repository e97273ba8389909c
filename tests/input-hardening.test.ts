import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { z } from "zod";
import type { Connection, Db } from "@/db/client";
import { attachments, orders, stores } from "@/db/schema";
import { actionDefinition, runAction } from "@/lib/auth/action";
import { describeError, isUniqueViolation, reportUnexpected } from "@/lib/errors";
import { logger } from "@/lib/log";
import { createOrder, saveStage } from "@/lib/orders/commands";
import { saveStageSchema } from "@/lib/orders/schemas";
import type { ActionState } from "@/lib/result";
import type { Actor } from "@/lib/workflow";
import { testDatabase } from "./database";
import { type Actors, inDays, orderIn, pdfFile, seedActors } from "./fixtures";

/**
 * The inputs issue #12 reported, each through the real action on a real database: a field
 * message beside the field, nothing written, nothing logged. The fuzz suite (fuzz.test.ts)
 * generates thousands more; these are the ones a person found, kept as named regressions.
 */

let conn: Connection;
let actors: Actors;
let north: number;
const as = (email: string): Actor => actors[email];

beforeAll(async () => {
  conn = await testDatabase();
  const seeded = await seedActors(conn.db);
  actors = seeded.actors;
  north = seeded.storeIds.north;
});
afterAll(() => conn.close());

const form = (values: Record<string, string | File | (string | File)[]>) => {
  const fd = new FormData();
  for (const [name, value] of Object.entries(values)) for (const v of [value].flat()) fd.append(name, v);
  return fd;
};

async function act(actionName: string, actor: Actor, values: Record<string, string | File | (string | File)[]>): Promise<ActionState & { orderId?: number }> {
  const mod = actionName === "updateRuleAction" ? await import("@/app/(app)/admin/rules/actions") : await import("@/app/(app)/orders/actions");
  const def = actionDefinition((mod as Record<string, object>)[actionName])!;
  const run = await runAction(actor, def.schema, def.handler, form(values), { db: conn.db });
  return { ...run.state, orderId: (run.success?.result as { order?: { id: number } } | undefined)?.order?.id };
}

const orderCount = async () => (await conn.db.select({ n: count() }).from(orders))[0].n;

describe("text, numbers and dates a person could not have meant", () => {
  test("a NUL byte in any text field is a message beside that field, not a database error", async () => {
    const quiet = vi.spyOn(console, "error");
    const before = await orderCount();
    const created = await act("createOrderAction", as("store.north@example.com"), {
      storeId: String(north),
      productSpecifications: "Oak shelf\u0000, 120 cm",
      orderQuantity: "2",
      requiredDeliveryDate: inDays(20),
    });
    expect(created.fieldErrors).toEqual({ productSpecifications: ["Remove the invisible control characters from this text"] });
    expect(await orderCount()).toBe(before);

    const order = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving" });
    const stage = await act("saveStageAction", as("dispatch@example.com"), {
      orderId: String(order.id),
      version: String(order.version),
      stage: "dispatchReceiving",
      editable: "orderFeasibility,productionSchedule,specialRequirements",
      "orderFeasibility.decision": "notFeasible",
      "orderFeasibility.reason": "No\u0000 capacity",
      specialRequirements: "Gift\u0000wrap",
    });
    expect(stage.fieldErrors).toEqual({
      "orderFeasibility.reason": ["Remove the invisible control characters from this text"],
      specialRequirements: ["Remove the invisible control characters from this text"],
    });
    const cancelled = await act("cancelOrderAction", as("store.north@example.com"), { orderId: String(order.id), version: String(order.version), reason: "Changed\u0000 our mind" });
    expect(cancelled.fieldErrors).toEqual({ reason: ["Remove the invisible control characters from this text"] });
    const [unchanged] = await conn.db.select().from(orders).where(eq(orders.id, order.id));
    expect(unchanged.version).toBe(order.version);
    expect(quiet).not.toHaveBeenCalled();
    quiet.mockRestore();
  });

  test("an impossible date is refused, not rolled over into the next month or the database", async () => {
    const created = await act("createOrderAction", as("store.north@example.com"), {
      storeId: String(north),
      productSpecifications: "Walnut table, 180 cm, oiled",
      orderQuantity: "1",
      requiredDeliveryDate: "2027-02-31",
    });
    expect(created.fieldErrors).toEqual({ requiredDeliveryDate: ["Enter a real date"] });

    const order = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving" });
    const scheduled = await act("saveStageAction", as("dispatch@example.com"), {
      orderId: String(order.id),
      version: String(order.version),
      stage: "dispatchReceiving",
      editable: "orderFeasibility,productionSchedule",
      "orderFeasibility.decision": "feasible",
      "productionSchedule.start": "2027-02-31",
      "productionSchedule.end": "2027-04-31",
    });
    expect(scheduled.fieldErrors).toEqual({ "productionSchedule.start": ["Enter a real date"], "productionSchedule.end": ["Enter a real date"] });
    const [stored] = await conn.db.select().from(orders).where(eq(orders.id, order.id));
    expect(stored.fields.productionSchedule).toBeUndefined();
  });

  test("a quantity in another spelling of a number is not a number", async () => {
    for (const orderQuantity of ["1e3", "0x10", "5.0"]) {
      const created = await act("createOrderAction", as("store.north@example.com"), {
        storeId: String(north),
        productSpecifications: "Birch stools, 45 cm",
        orderQuantity,
        requiredDeliveryDate: inDays(20),
      });
      expect(created.fieldErrors, orderQuantity).toEqual({ orderQuantity: ["Order Quantity must be a whole number"] });
    }
  });

  test("an order id in another spelling finds nothing, and says so as the form's message", async () => {
    const order = await orderIn(conn.db, { storeCode: "north", to: "storeOrder" });
    for (const orderId of [`0${order.id}`, `${order.id}e0`, `0x${order.id.toString(16)}`, `${order.id}.0`]) {
      const r = await act("cancelOrderAction", as("store.north@example.com"), { orderId, version: String(order.version), reason: "Not needed" });
      expect(r.formError, orderId).toBe("This order could not be found: reload the page");
    }
  });
});

describe("uploads", () => {
  test("a file over the per-file limit, or files over the per-request limit, get the app's own message and no order", async () => {
    const before = await orderCount();
    const big = new File([new Uint8Array(4 * 1024 * 1024 + 1)], "big.pdf", { type: "application/pdf" });
    const r = await act("createOrderAction", as("store.north@example.com"), {
      storeId: String(north),
      productSpecifications: "Glass counter display, 150 cm",
      orderQuantity: "1",
      requiredDeliveryDate: inDays(20),
      attachments: big,
    });
    expect(r.fieldErrors).toEqual({ attachments: ["big.pdf is 4 MB: each file may be at most 4 MB"] });
    const halves = [0, 1].map((i) => new File([new Uint8Array(2.5 * 1024 * 1024)], `half-${i}.pdf`));
    const both = await act("createOrderAction", as("store.north@example.com"), {
      storeId: String(north),
      productSpecifications: "Glass counter display, 150 cm",
      orderQuantity: "1",
      requiredDeliveryDate: inDays(20),
      attachments: halves,
    });
    expect(both.fieldErrors).toEqual({ attachments: ["These files are 5 MB together: attach at most 4 MB at once"] });
    expect(await orderCount()).toBe(before);
  });
});

describe("one order per submission of the create form", () => {
  const values = (token?: string) => ({ storeId: north, productSpecifications: "Pine shelving, 5 tiers, 90 cm", orderQuantity: 3, requiredDeliveryDate: inDays(30), attachments: [pdfFile()], ...(token ? { submissionToken: token } : {}) });

  test("posted again, the same form answers with the order it made", async () => {
    const ctx = { db: conn.db, actor: as("store.north@example.com") };
    const token = crypto.randomUUID();
    const first = await createOrder(ctx, values(token));
    const second = await createOrder(ctx, values(token));
    expect(first.ok && second.ok).toBe(true);
    if (!first.ok || !second.ok) return;
    expect(second.order.id).toBe(first.order.id);
    expect(await conn.db.select({ n: count() }).from(orders).where(eq(orders.submissionToken, token))).toEqual([{ n: 1 }]);
    expect(await conn.db.select({ n: count() }).from(attachments).where(eq(attachments.orderId, first.order.id))).toEqual([{ n: 1 }]);
  });

  test("five posts of one form at once make one order, and all five answer with it", async () => {
    const token = crypto.randomUUID();
    const results = await Promise.all(Array.from({ length: 5 }, () => createOrder({ db: conn.db, actor: as("store.north@example.com") }, values(token))));
    const ids = results.map((r) => (r.ok ? r.order.id : r.formError));
    expect(new Set(ids).size).toBe(1);
    expect(typeof ids[0]).toBe("number");
    expect(await conn.db.select({ n: count() }).from(orders).where(eq(orders.submissionToken, token))).toEqual([{ n: 1 }]);
  });

  test("another account's token makes nothing and shows nothing; a form without one makes an order each time", async () => {
    const token = crypto.randomUUID();
    const made = await createOrder({ db: conn.db, actor: as("store.north@example.com") }, values(token));
    expect(made.ok).toBe(true);
    const stolen = await createOrder({ db: conn.db, actor: as("store.south@example.com") }, { ...values(token), storeId: (await conn.db.select().from(stores).where(eq(stores.code, "south")))[0].id });
    expect(stolen).toEqual({ ok: false, formError: "This form was already used: reload the page to start a new order" });
    const before = await orderCount();
    await createOrder({ db: conn.db, actor: as("store.north@example.com") }, values());
    await createOrder({ db: conn.db, actor: as("store.north@example.com") }, values());
    expect(await orderCount()).toBe(before + 2);
  });
});

test("the stage form saves and completes as one: a stage that cannot complete keeps the fields as they were", async () => {
  const order = await orderIn(conn.db, { storeCode: "north", to: "inProduction", tickTodos: false });
  const input = saveStageSchema.parse({
    orderId: String(order.id),
    version: String(order.version),
    stage: "inProduction",
    intent: "complete",
    editable: "productionStatus,completionPercentage",
    productionStatus: "completed",
    completionPercentage: "100",
  });
  // No inspection has passed and the to-dos are open: completing is refused...
  const r = await saveStage({ db: conn.db, actor: as("production@example.com") }, input);
  expect(r.ok).toBe(false);
  // ...and so is the save that came with it, so the form's version is still the order's.
  const [after] = await conn.db.select().from(orders).where(eq(orders.id, order.id));
  expect(after.version).toBe(order.version);
  expect(after.fields.productionStatus).toBeUndefined();
  const saved = await saveStage({ db: conn.db, actor: as("production@example.com") }, { ...input, intent: "save" });
  expect(saved).toEqual({ ok: true, message: "Saved 2 fields" });
});

describe("an unexpected error", () => {
  /** A write that skips every schema and meets PostgreSQL's own refusal of a NUL byte. */
  async function failingWrite(db: Db) {
    await db.insert(stores).values({ code: "nul", name: "secret content \u0000 of the order" });
  }

  test("is logged with a reference, the error and its code, and never the values", async () => {
    const logged = vi.spyOn(logger, "error").mockImplementation(() => {});
    try {
      const error = await failingWrite(conn.db).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(Error);
      const ref = reportUnexpected("test", error);
      expect(ref).toMatch(/^[0-9a-f]{8}$/);
      const [line] = logged.mock.calls[0] as unknown as [{ ref: string; error: string }];
      expect(line.ref).toBe(ref);
      expect(line.error).toMatch(/query failed: insert into "stores"/);
      expect(JSON.stringify(logged.mock.calls[0])).not.toContain("secret content");
      expect(describeError(error)).not.toContain("secret content");
    } finally {
      logged.mockRestore();
    }
  });

  test("in an action is the form's message with the same reference, and nothing is saved", async () => {
    const logged = vi.spyOn(logger, "error").mockImplementation(() => {});
    try {
      const run = await runAction(as("admin@example.com"), z.object({}), async (_input, ctx) => {
        await failingWrite(ctx.db);
        return { ok: true };
      }, form({}), { db: conn.db });
      expect(run.success).toBeUndefined();
      const ref = /reference ([0-9a-f]{8})/.exec(run.state.formError ?? "")?.[1];
      expect(ref).toBeDefined();
      expect(JSON.stringify(logged.mock.calls[0])).toContain(`"ref":"${ref}"`);
      expect(JSON.stringify(logged.mock.calls[0])).not.toContain("secret content");
      expect(await conn.db.select().from(stores).where(eq(stores.code, "nul"))).toEqual([]);
    } finally {
      logged.mockRestore();
    }
  });

  test("a unique violation is told apart by its constraint", async () => {
    const duplicate = await conn.db
      .insert(stores)
      .values({ code: "north", name: "Again" })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(isUniqueViolation(duplicate, "stores_code_unique")).toBe(true);
    expect(isUniqueViolation(duplicate, "orders_submission_token_key")).toBe(false);
    expect(isUniqueViolation(new Error("x"), "stores_code_unique")).toBe(false);
  });
});
