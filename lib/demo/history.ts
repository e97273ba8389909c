import { inArray, sql } from "drizzle-orm";
import { type Db, rowsOf } from "@/db/client";
import { accounts, stores } from "@/db/schema";
import { rebuildKpiRollups } from "@/lib/kpi/rollups";
import type { FieldValues, StageKey } from "@/lib/workflow";
import { allTodoKeys, stage as stageDef, stageKeys, todayIso } from "@/lib/workflow";

/**
 * A history of completed orders for the KPI page and the benchmark: set-based inserts straight
 * into orders, stage_entries, inspections and order_history, in batches, from a seeded PRNG.
 * The commands are not used on purpose: 100,000 orders through them would take an hour, and
 * these orders are the past, not something a user does. Most stages finish within target,
 * some are late; a few first inspections fail and are reworked; some deliveries miss their
 * date; most ratings are 4 or 5. Lateness eases over the weeks, so the trend tells a story.
 */

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export type HistoryOptions = {
  count: number;
  /** The history ends just before `now`, spread over `weeks` weeks. */
  now?: Date;
  weeks?: number;
  seed?: number;
  batchSize?: number;
  progress?: (done: number, total: number) => void;
};

/** mulberry32: small, fast and the same on every machine. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const products: [string, number, number][] = [
  ["Oak display shelf, 120 x 40 cm, matte finish, store logo engraved", 2, 8],
  ["Branded acrylic menu stands, A5, frosted edge", 10, 40],
  ["Backlit window sign, 2 x 0.6 m, warm white LEDs", 1, 2],
  ["Display podiums in three heights, white lacquer", 3, 9],
  ["Branded tote bags, natural cotton, two-colour print", 200, 1000],
  ["Pine shelving units, 5 tiers, 90 cm wide", 2, 6],
  ["Glass counter display case with lock, 150 cm", 1, 2],
  ["Engraved brass name plates for staff", 10, 60],
  ["Outdoor bench with store logo, recycled plastic, 1.8 m", 1, 4],
  ["Fitting-room mirrors, full length, oak frame", 2, 8],
  ["Gift boxes, kraft card, foil logo, 3 sizes", 100, 600],
  ["Pegboard wall panels with hooks, 60 x 120 cm", 4, 20],
  ["Printed floor graphics, anti-slip laminate", 5, 30],
  ["Walnut cash desk, 160 cm, cable tray", 1, 1],
];

type Entry = { stage: StageKey; enteredAt: number; dueAt: number; completedAt: number; by: number | null };
type Inspection = { at: number; result: "pass" | "fail"; notes: string };

type Actors = { store: Map<number, number | null>; dispatch: number | null; production: number | null; qc: number | null };

async function loadActors(db: Db, storeRows: { id: number; code: string }[]): Promise<Actors> {
  const emails = ["dispatch@example.com", "production@example.com", "qc@example.com", ...storeRows.map((s) => `store.${s.code}@example.com`)];
  const rows = await db.select({ id: accounts.id, email: accounts.email }).from(accounts).where(inArray(accounts.email, emails));
  const id = (email: string) => rows.find((r) => r.email === email)?.id ?? null;
  return {
    store: new Map(storeRows.map((s) => [s.id, id(`store.${s.code}@example.com`)])),
    dispatch: id("dispatch@example.com"),
    production: id("production@example.com"),
    qc: id("qc@example.com"),
  };
}

const uniform = (r: () => number, a: number, b: number) => a + (b - a) * r();

/** One order's story, as plain values ready for the bulk insert. */
function generateOrder(r: () => number, receivedAt: number, progress: number, storeIds: number[], actors: Actors) {
  const storeIndex = r() < 0.55 ? 0 : Math.min(1, storeIds.length - 1);
  const storeId = storeIds[storeIndex];
  // Late stages get rarer as the weeks go by; the second store runs slightly behind.
  const lateness = (1.35 - 0.7 * progress) * (storeIndex === 1 ? 1.25 : 1);
  const late = (p: number) => r() < p * lateness;
  const hours = {
    storeOrder: late(0.06) ? uniform(r, 4.2, 14) : uniform(r, 0.3, 3.8),
    dispatchReceiving: late(0.05) ? uniform(r, 2.1, 6) : uniform(r, 0.2, 1.9),
    inProduction: late(0.13) ? uniform(r, 121, 190) : uniform(r, 64, 118),
    dispatching: late(0.05) ? uniform(r, 24.5, 60) : uniform(r, 3, 23.5),
    storeReceived: late(0.06) ? uniform(r, 2.1, 9) : uniform(r, 0.2, 1.9),
  } satisfies Record<StageKey, number>;
  const fails = r() < 0.035 * lateness ? (r() < 0.15 ? 2 : 1) : 0;
  if (fails) hours.inProduction += fails * uniform(r, 10, 40);

  const entries: Entry[] = [];
  let at = receivedAt - stageKeys.reduce((sum, k) => sum + hours[k] * HOUR, 0);
  const createdAt = Math.round(at);
  for (const key of stageKeys) {
    const enteredAt = Math.round(at);
    at += hours[key] * HOUR;
    const owner = stageDef(key).owner;
    const by = owner === "storeManager" ? actors.store.get(storeId)! : owner === "dispatchTeam" ? actors.dispatch : actors.production;
    entries.push({ stage: key, enteredAt, dueAt: enteredAt + stageDef(key).target.dueAfterMs, completedAt: key === "storeReceived" ? receivedAt : Math.round(at), by });
  }

  const production = entries[2];
  const inspections: Inspection[] = [];
  const lastPass = production.completedAt - uniform(r, 0.5, 6) * HOUR;
  for (let i = 0; i < fails; i++) {
    const span = lastPass - production.enteredAt;
    inspections.push({ at: Math.round(production.enteredAt + span * (0.45 + 0.2 * i)), result: "fail", notes: i ? "Finish still uneven after rework" : "Dimensions out of tolerance; rework" });
  }
  inspections.push({ at: Math.round(lastPass), result: "pass", notes: "" });

  // Most delivery dates leave room; about one in ten is tight.
  const slackDays = r() < 0.1 ? 4 + Math.floor(r() * 2) : 6 + Math.floor(r() * 6);
  const requiredDeliveryDate = todayIso(new Date(createdAt + slackDays * DAY));
  const deliveredLate = todayIso(new Date(receivedAt)) > requiredDeliveryDate;

  const roll = r();
  const base = roll < 0.7 ? 5 : roll < 0.94 ? 4 : roll < 0.98 ? 3 : roll < 0.995 ? 2 : 1;
  const rating = r() < 0.12 ? null : Math.max(1, base - (deliveredLate && r() < 0.6 ? 1 : 0) - (fails && r() < 0.3 ? 1 : 0));

  const [spec, minQ, maxQ] = products[Math.floor(r() * products.length)];
  const quantity = Math.round(uniform(r, minQ, maxQ));
  const condition = r() < 0.95 ? "good" : "minorDamage";
  const dayOf = (ms: number) => todayIso(new Date(ms));
  const fields: FieldValues = {
    productSpecifications: spec,
    orderQuantity: quantity,
    requiredDeliveryDate,
    orderFeasibility: { decision: "feasible", reason: "" },
    productionSchedule: { start: dayOf(entries[2].enteredAt), end: dayOf(entries[2].enteredAt + 4 * DAY), confirmed: false },
    specialRequirements: "",
    productionStatus: "completed",
    completionPercentage: 100,
    qualityCheckResults: { result: "pass", notes: "" },
    shipmentMethod: (["courier", "freight", "ownFleet", "storePickup"] as const)[Math.floor(r() * 4)],
    trackingNumber: `TRK-H${createdAt.toString(36).toUpperCase()}`,
    estimatedDeliveryTime: new Date(entries[3].completedAt + 12 * HOUR).toISOString(),
    receiptConfirmation: { confirmedBy: "Front desk" },
    productCondition: condition,
    ...(rating ? { customerFeedback: { rating, comment: "" } } : {}),
  };
  return { storeId, createdAt, receivedAt, entries, inspections, fields, requiredDeliveryDate, rating, spec };
}

type Generated = ReturnType<typeof generateOrder>;
const iso = (ms: number) => new Date(ms).toISOString();

async function insertBatch(db: Db, batch: Generated[], actors: Actors) {
  await db.transaction(async (tx) => {
    // Ids are taken from the identity sequence first, so the child rows can name their order.
    const idList = rowsOf<{ id: number }>(
      await tx.execute(sql`select nextval(pg_get_serial_sequence('orders', 'id'))::int as id from generate_series(1, ${batch.length}::int)`),
    ).map((row) => Number(row.id));
    const orderRows: object[] = [];
    const entryRows: object[] = [];
    const inspectionRows: object[] = [];
    const historyRows: object[] = [];
    batch.forEach((o, i) => {
      const id = idList[i];
      const storeActor = actors.store.get(o.storeId) ?? null;
      const events: { at: number; kind: string; stage: StageKey; actor: number | null; subject?: string; before?: unknown; after?: unknown }[] = [
        { at: o.createdAt, kind: "created", stage: "storeOrder", actor: storeActor, after: { productSpecifications: o.spec, orderQuantity: o.fields.orderQuantity, requiredDeliveryDate: o.requiredDeliveryDate } },
      ];
      for (const insp of o.inspections) {
        events.push({ at: insp.at, kind: "inspectionRecorded", stage: "inProduction", actor: actors.qc, subject: "qualityCheckResults", after: { result: insp.result, notes: insp.notes } });
        inspectionRows.push({ order_id: id, result: insp.result, notes: insp.notes, inspector_id: actors.qc, created_at: iso(insp.at) });
      }
      o.entries.forEach((e, n) => {
        entryRows.push({ order_id: id, stage: e.stage, entered_at: iso(e.enteredAt), due_at: iso(e.dueAt), completed_at: iso(e.completedAt), completed_by: e.by });
        const next = o.entries[n + 1];
        events.push(
          next
            ? { at: e.completedAt, kind: "stageCompleted", stage: e.stage, actor: e.by, before: e.stage, after: { stage: next.stage } }
            : { at: e.completedAt, kind: "completed", stage: e.stage, actor: e.by },
        );
      });
      events.sort((a, b) => a.at - b.at);
      events.forEach((e, n) =>
        historyRows.push({ order_id: id, actor_id: e.actor, at: iso(e.at), version: n + 1, kind: e.kind, stage: e.stage, subject: e.subject ?? null, before: e.before ?? null, after: e.after ?? null }),
      );
      const last = o.entries[o.entries.length - 1];
      orderRows.push({
        id,
        store_id: o.storeId,
        stage: "storeReceived",
        state: "completed",
        stage_entered_at: iso(last.enteredAt),
        stage_due_at: iso(last.dueAt),
        version: events.length,
        fields: o.fields,
        done_todos: allTodoKeys,
        product_summary: o.spec,
        required_delivery_date: o.requiredDeliveryDate,
        created_by: storeActor,
        created_at: iso(o.createdAt),
        submitted_at: iso(o.entries[0].completedAt),
        received_at: iso(o.receivedAt),
        customer_rating: o.rating,
        updated_at: iso(o.receivedAt),
      });
    });
    const json = (rows: object[]) => JSON.stringify(rows);
    await tx.execute(sql`
      insert into orders (id, store_id, stage, state, stage_entered_at, stage_due_at, version, fields, done_todos, product_summary,
        required_delivery_date, created_by, created_at, submitted_at, received_at, customer_rating, updated_at)
      overriding system value
      select id, store_id, stage, state, stage_entered_at, stage_due_at, version, fields, done_todos, product_summary,
        required_delivery_date, created_by, created_at, submitted_at, received_at, customer_rating, updated_at
      from json_to_recordset(${json(orderRows)}::json) as x(id int, store_id int, stage text, state text, stage_entered_at timestamptz,
        stage_due_at timestamptz, version int, fields jsonb, done_todos text[], product_summary text, required_delivery_date date,
        created_by int, created_at timestamptz, submitted_at timestamptz, received_at timestamptz, customer_rating smallint, updated_at timestamptz)`);
    await tx.execute(sql`
      insert into stage_entries (order_id, stage, entered_at, due_at, completed_at, completed_by)
      select order_id, stage, entered_at, due_at, completed_at, completed_by
      from json_to_recordset(${json(entryRows)}::json) as x(order_id int, stage text, entered_at timestamptz, due_at timestamptz,
        completed_at timestamptz, completed_by int)`);
    await tx.execute(sql`
      insert into inspections (order_id, result, notes, inspector_id, created_at)
      select order_id, result, notes, inspector_id, created_at
      from json_to_recordset(${json(inspectionRows)}::json) as x(order_id int, result text, notes text, inspector_id int, created_at timestamptz)`);
    await tx.execute(sql`
      insert into order_history (order_id, actor_id, at, version, kind, stage, subject, before, after)
      select order_id, actor_id, at, version, kind, stage, subject, before, after
      from json_to_recordset(${json(historyRows)}::json) as x(order_id int, actor_id int, at timestamptz, version int, kind text,
        stage text, subject text, before jsonb, after jsonb)`);
  });
}

/**
 * Inserts `count` completed orders received over the last `weeks` weeks, oldest first (so order
 * numbers follow time). The same seed and `now` give the same history.
 */
export async function seedHistory(db: Db, options: HistoryOptions) {
  const { count, now = new Date(), weeks = 12, seed = 20240601, batchSize = 2000, progress } = options;
  if (count <= 0) return 0;
  const storeRows = await db.select({ id: stores.id, code: stores.code }).from(stores).orderBy(stores.id);
  if (!storeRows.length) throw new Error("Seed the stores before the order history");
  const actors = await loadActors(db, storeRows);
  const storeIds = storeRows.map((s) => s.id);
  const r = prng(seed);
  const span = weeks * 7 * DAY;
  const first = now.getTime() - span;
  let done = 0;
  progress?.(0, count);
  while (done < count) {
    const n = Math.min(batchSize, count - done);
    const batch: Generated[] = [];
    for (let i = 0; i < n; i++) {
      const position = (done + i + r()) / count;
      // Received between `weeks` weeks ago and an hour ago, spread evenly in time.
      const receivedAt = Math.round(first + position * (span - HOUR));
      batch.push(generateOrder(r, receivedAt, position, storeIds, actors));
    }
    await insertBatch(db, batch, actors);
    done += n;
    progress?.(done, count);
  }
  // Fresh statistics and visibility for the planner: the KPI queries read covering indexes,
  // which only skip the table once the rows are vacuumed (PGlite has no autovacuum).
  await db.execute(sql`vacuum (analyze) orders, stage_entries, inspections, order_history`);
  // The KPI page reads daily rollups; these orders bypassed the commands that keep them.
  await db.transaction((tx) => rebuildKpiRollups(tx));
  return done;
}
