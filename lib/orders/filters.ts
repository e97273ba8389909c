import { z } from "zod";
import { type BoardQuery, type OrderListQuery, parseCursor } from "@/db/queries/orders";
import { choiceParam, dayParam, idParam, oneParam, pageParam, parseId, searchParam } from "@/lib/forms/input";
import { orderStates, stageKeys } from "@/lib/workflow";

/**
 * The order list's and the board's URL input (`/orders?view=all&stage=…`, `/board?store=2`),
 * built from the shared input pieces (lib/forms/input.ts). Anything unusable in it is left out,
 * never an error: a hand-edited or stale address still shows a page. The REST API's order list
 * reads the same schema.
 */

/** A keyset cursor from `cursorOf`; anything else (a made-up, overflowing or foreign one) is no cursor. */
const cursorParam = z.preprocess(
  oneParam,
  z
    .string()
    .max(40)
    .refine((s) => parseCursor(s) !== null)
    .optional()
    .catch(undefined),
);

export const orderListSchema = z.object({
  view: z.preprocess(oneParam, z.enum(["queue", "all", "inspect"]).catch("queue")),
  q: searchParam(200),
  stage: choiceParam(stageKeys),
  /** A state, "open" (active or on hold) or "any"; left out, what the view opens on (viewDefaults). */
  state: choiceParam([...orderStates, "open", "any"]),
  store: idParam,
  sla: choiceParam(["overdue", "atRisk"]),
  /** Only orders in stages the account owns. */
  mine: choiceParam(["1"]),
  /** "me": only orders whose current stage is assigned to (or claimed by) the account. */
  assigned: choiceParam(["me"]),
  /** A day (YYYY-MM-DD): only orders whose Production Schedule takes capacity on it (the capacity view's links). */
  plannedOn: dayParam,
  /** Failed inspections naming this fail reason, recorded in these UTC days (the KPI page's Pareto links here). */
  failReason: idParam,
  failedFrom: dayParam,
  failedTo: dayParam,
  /** Left out: what the view opens on (db/queries/orders.ts viewDefaults). */
  sort: z.preprocess(oneParam, z.enum(["due", "-due", "new"]).optional().catch(undefined)),
  /** Keyset pages: the rows after (or before) this row's sort key and id, from `cursorOf`. */
  after: cursorParam,
  before: cursorParam,
  /** The page's number, for "Page n of m" only; the cursor decides the rows. */
  page: pageParam(),
}) satisfies z.ZodType<OrderListQuery>;

export const boardSchema = z.object({
  store: idParam,
  /** On a phone the board shows one column at a time: this one. */
  stage: choiceParam([...stageKeys, "onHold"]),
  sla: choiceParam(["overdue"]),
  mine: choiceParam(["1"]),
}) satisfies z.ZodType<BoardQuery>;

/**
 * The orders a batch of travellers prints (`/orders/travellers`): the ticked rows as `id`s (every
 * usable id, each once, in the order given) or, without any, the list's filters as they are.
 */
export const travellerBatchSchema = z.object({
  id: z.preprocess(
    (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.unknown()).transform((ids) => [...new Set(ids.map(parseId).filter((id) => id !== null))]),
  ),
});
export const parseTravellerBatch = (raw: Record<string, unknown>) => ({ ...travellerBatchSchema.parse(raw), list: parseOrderList(raw) });

/** The order list's query from a page's search params (a value given twice counts once). */
export const parseOrderList = (raw: Record<string, unknown>): OrderListQuery => orderListSchema.parse(raw);
export const parseBoard = (raw: Record<string, unknown>): BoardQuery => boardSchema.parse(raw);

export type { BoardQuery, OrderListQuery };
