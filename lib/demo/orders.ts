import { count, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db/client";
import { orders, stores } from "@/db/schema";
import type { Order } from "@/db/schema";
import { addAttachments, completeStage, createOrder, recordInspection, saveFields, toggleTodo } from "@/lib/orders/commands";
import type { Ctx, Result } from "@/lib/result";
import { type StageKey, stage as stageDef, stageKeys, todoKey, todayIso } from "@/lib/workflow";
import { demoActor } from "./actors";
import { type HistoryOptions, seedHistory } from "./history";

const HOUR = 3600_000;
const DAY = 24 * HOUR;

function must<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`Seed step refused: ${JSON.stringify(result)}`);
  return result;
}

const plusDays = (days: number, from = new Date()) => todayIso(new Date(from.getTime() + days * DAY));

/** A 1 × 1 PNG: the photo a store takes of goods that arrived wrong. */
export const demoPhoto = (name = "photo.png") =>
  new File([Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64")], name, { type: "image/png" });

/** Values that complete each stage, as a user would enter them. */
function stageValues(key: StageKey, order: Order, received?: DriveOptions["received"]): Record<string, unknown> {
  switch (key) {
    case "storeOrder":
      return {};
    case "dispatchReceiving":
      return {
        orderFeasibility: { decision: "feasible", reason: "" },
        productionSchedule: { start: plusDays(0, order.stageEnteredAt), end: plusDays(4, order.stageEnteredAt), confirmed: true },
      };
    case "inProduction":
      return { productionStatus: "completed", completionPercentage: "100" };
    case "dispatching":
      return { shipmentMethod: "courier", trackingNumber: `TRK-${order.id}-${order.storeId}`, estimatedDeliveryTime: new Date(order.stageEnteredAt.getTime() + DAY).toISOString() };
    case "storeReceived":
      return received
        ? { receiptConfirmation: { confirmedBy: "Front desk" }, productCondition: received, conditionNote: "Two shelves cracked, the box was crushed", customerFeedback: { rating: "2", comment: "" } }
        : { receiptConfirmation: { confirmedBy: "Front desk" }, productCondition: "good", customerFeedback: { rating: "5", comment: "" } };
  }
}

const actorFor: Record<StageKey, string[]> = {
  storeOrder: ["store"],
  dispatchReceiving: ["dispatch@example.com"],
  inProduction: ["production@example.com", "qc@example.com"],
  dispatching: ["dispatch@example.com"],
  storeReceived: ["store"],
};

export type DriveOptions = {
  storeCode: "north" | "south";
  /** The stage to leave the order in (active), or "completed". */
  to: StageKey | "completed";
  specifications?: string;
  quantity?: number;
  requiredDeliveryDate?: string;
  /** When the order was created; each stage then takes `stageHours` (default: half its target). */
  startedAt?: Date;
  stageHours?: Partial<Record<StageKey, number>>;
  tickTodos?: boolean;
  /** Values typed in a stage instead of (or as well as) the usual ones. */
  values?: Partial<Record<StageKey, Record<string, unknown>>>;
  /** Received damaged or not as specified (with a note and a photo), instead of in good condition. */
  received?: "damaged" | "wrongSpecification";
  /** Fail the first inspection naming these fail reasons (ids; a note for one that needs it), then pass it after rework. */
  failedFor?: number[];
};

/**
 * Takes a new order to the given stage through the product's own commands, as each role would:
 * used by the demo seed, tests and the browser tests' fixtures.
 */
export async function driveOrder(db: Db, options: DriveOptions): Promise<Order> {
  const [store] = await db.select().from(stores).where(eq(stores.code, options.storeCode));
  const storeEmail = `store.${options.storeCode}@example.com`;
  const actors = new Map<string, Ctx["actor"]>();
  const actor = async (email: string) => {
    const e = email === "store" ? storeEmail : email;
    if (!actors.has(e)) actors.set(e, await demoActor(db, e));
    return actors.get(e)!;
  };
  let now = options.startedAt ?? new Date();
  const ctx = async (email: string): Promise<Ctx> => ({ db, actor: await actor(email), now });

  let order = must(
    await createOrder(await ctx("store"), {
      storeId: store.id,
      productSpecifications: options.specifications ?? "Oak display shelf, 120 x 40 cm, matte finish, store logo engraved",
      orderQuantity: options.quantity ?? 4,
      requiredDeliveryDate: options.requiredDeliveryDate ?? plusDays(14),
    }),
  ).order;
  const target = options.to === "completed" ? stageKeys.length : stageKeys.indexOf(options.to);
  for (let i = 0; i < target; i++) {
    const key = stageKeys[i];
    const [ownerEmail, inspector] = actorFor[key];
    const values = { ...stageValues(key, order, options.received), ...options.values?.[key] };
    if (options.received && stageDef(key).attachments?.images) {
      order = must(await addAttachments(await ctx(ownerEmail), { orderId: order.id, version: order.version, attachments: [demoPhoto()] })).order;
    }
    // The demo plans what it is told: a schedule over capacity is confirmed (decision 027).
    if (Object.keys(values).length) order = must(await saveFields(await ctx(ownerEmail), { orderId: order.id, version: order.version, values, confirmOverload: true })).order;
    if (inspector && options.failedFor?.length) {
      const failed = { result: "fail" as const, notes: "Rework needed before it can go" };
      order = must(await recordInspection(await ctx(inspector), { orderId: order.id, version: order.version, qualityCheckResults: failed, failReasons: options.failedFor, failReasonNote: "Seen at inspection" })).order;
    }
    if (inspector) {
      order = must(await recordInspection(await ctx(inspector), { orderId: order.id, version: order.version, qualityCheckResults: { result: "pass", notes: "" } })).order;
    }
    if (options.tickTodos !== false) {
      for (const t of stageDef(key).todos) {
        order = must(await toggleTodo(await ctx(ownerEmail), { orderId: order.id, version: order.version, todo: todoKey(key, t.key), done: true })).order;
      }
    }
    now = new Date(now.getTime() + (options.stageHours?.[key] ?? stageDef(key).target.dueAfterMs / HOUR / 2) * HOUR);
    order = must(await completeStage(await ctx(ownerEmail), { orderId: order.id, version: order.version, confirmOpenTodos: true })).order;
  }
  return order;
}

export type SeedOptions = { historyOrders?: number } & Pick<HistoryOptions, "connections" | "progress" | "step" | "vacuum">;

/** Completed orders in the demo's history: twelve weeks of KPIs on first start. */
export const DEFAULT_HISTORY_ORDERS = 360;

/**
 * The KPI history (set-based, ./history.ts), then a handful of live orders across stages and
 * stores, some of them late, so every queue has work.
 */
export async function seedDemoOrders(db: Db, options: SeedOptions = {}) {
  const { historyOrders = DEFAULT_HISTORY_ORDERS, ...rest } = options;
  await seedHistory(db, { count: historyOrders, ...rest });
  const ago = (hours: number) => new Date(Date.now() - hours * HOUR);
  const plan: DriveOptions[] = [
    { storeCode: "north", to: "storeOrder", specifications: "Walnut reception desk, 180 cm, cable tray, brushed steel legs", tickTodos: false },
    { storeCode: "north", to: "dispatchReceiving", specifications: "Set of 12 branded acrylic menu stands, A5, frosted edge", startedAt: ago(6), stageHours: { storeOrder: 1 } },
    { storeCode: "north", to: "inProduction", specifications: "Custom window sign, 2 x 0.6 m, backlit, warm white LEDs", startedAt: ago(60) },
    { storeCode: "north", to: "inProduction", specifications: "Display podiums, three heights, white lacquer", startedAt: ago(150), stageHours: { storeOrder: 2, dispatchReceiving: 1 } },
    { storeCode: "north", to: "dispatching", specifications: "Branded tote bags, natural cotton, two-colour print", quantity: 500, startedAt: ago(110) },
    { storeCode: "north", to: "storeReceived", specifications: "Pine shelving units, 5 tiers, 90 cm wide", startedAt: ago(140) },
    { storeCode: "south", to: "storeOrder", specifications: "Glass counter display case with lock, 150 cm", startedAt: ago(2), tickTodos: false },
    { storeCode: "south", to: "dispatchReceiving", specifications: "Engraved brass name plates for staff, 40 pieces", quantity: 40, startedAt: ago(9), stageHours: { storeOrder: 3 } },
    { storeCode: "south", to: "inProduction", specifications: "Outdoor bench with store logo, recycled plastic, 1.8 m", startedAt: ago(30) },
    { storeCode: "south", to: "dispatching", specifications: "Fitting-room mirrors, full length, oak frame", quantity: 6, startedAt: ago(100) },
    { storeCode: "south", to: "completed", specifications: "Gift boxes, kraft card, foil logo, 3 sizes", quantity: 300, startedAt: ago(200) },
  ];
  // The live orders are made once: seeding again (say with --orders N for a benchmark) adds history only.
  const [live] = await db.select({ n: count() }).from(orders).where(inArray(orders.state, ["active", "onHold"]));
  if (live.n === 0) for (const options of plan) await driveOrder(db, options);
  return db.select({ id: orders.id }).from(orders);
}
