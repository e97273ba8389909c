import "zod-openapi";
import { z } from "zod";
import { orderListSchema } from "@/lib/orders/filters";
import { addCommentSchema, completeStageSchema, createOrderSchema, saveFieldsSchema, toggleTodoSchema } from "@/lib/orders/schemas";
import { fields as fieldDefs, orderStates, roleKeys, stageKeys } from "@/lib/workflow";

/**
 * The API's inputs and answers (decision 019). Every input is the command's own schema (or its
 * parts), so the API accepts exactly what the forms do and the OpenAPI document (lib/api/openapi.ts)
 * is generated from what the commands parse. Several of those schemas accept loose spellings
 * ("12" or 12) through a transform, which JSON Schema cannot express; `doc` says the documented
 * type beside them, without changing what is parsed.
 */

const doc = <T extends z.ZodType>(schema: T, override: Record<string, unknown>, description?: string) =>
  schema.meta({ override, ...(description ? { description } : {}) }) as T;

const integerId = (description: string) => ({ type: "integer", minimum: 1, maximum: 2_147_483_647, description });

// --- Parameters ----------------------------------------------------------------------------

export const orderNumberParams = z.object({
  number: z.string().max(40).meta({ description: "The order number (MO-00042; 42 works too)", example: "MO-00042" }),
});
export const todoParams = orderNumberParams.extend({
  key: z.string().max(80).meta({ description: "The to-do's key: `<stage>.<todo>`, e.g. `storeOrder.attachReferences`", example: "storeOrder.attachReferences" }),
});
export const attachmentParams = orderNumberParams.extend({
  attachmentId: z.string().max(12).meta({ description: "The attachment's id, as listed on the order", example: "7" }),
});

/**
 * The queue's URL filters (db/queries/orders.ts `orderListSchema`), less the page's own paging:
 * the API pages by `after` alone. Anything unusable in a filter is ignored, as on the page.
 */
export const listOrdersQuery = orderListSchema.pick({ view: true, q: true, stage: true, state: true, store: true, sla: true, mine: true, assigned: true, sort: true, after: true });

// --- Request bodies (the commands' schemas) ----------------------------------------------

const s = createOrderSchema.shape;
export const createOrderBody = z
  .object({
    storeId: doc(s.storeId, integerId("The store the order is for (one of `GET /stores`)")),
    productSpecifications: doc(s.productSpecifications, { type: "string", minLength: 10, maxLength: 5000 }, "What to make: materials, dimensions, finish"),
    orderQuantity: doc(s.orderQuantity, { type: "integer", minimum: 1, maximum: 100_000 }),
    requiredDeliveryDate: doc(s.requiredDeliveryDate, { type: "string", format: "date" }, "YYYY-MM-DD, today or later"),
  })
  .strict()
  .meta({ id: "CreateOrder" });

const version = doc(saveFieldsSchema.shape.version, integerId("The order's version you read (`version` of `GET /orders/{number}`): a stale one is a 409"));

const fieldKeys = fieldDefs.map((f) => f.key).join(", ");
export const saveStageBody = z
  .object({
    version,
    fields: doc(saveFieldsSchema.shape.values, { type: "object", additionalProperties: true }, `Fields of the order's current stage, by key (${fieldKeys}); each is checked by its own schema, an empty string or null clears it`),
    confirmOverload: doc(
      saveFieldsSchema.shape.confirmOverload,
      { type: "boolean" },
      "Keep a Production Schedule that adds load to a day over the shop's capacity (otherwise a 422 names the days and the earliest planned end that fits)",
    ).optional(),
  })
  .strict()
  .meta({ id: "SaveStage" });

export const toggleTodoBody = z
  .object({ version, done: doc(toggleTodoSchema.shape.done, { type: "boolean" }, "true to tick, false to untick") })
  .strict()
  .meta({ id: "ToggleTodo" });

export const completeStageBody = z
  .object({ version, confirmOpenTodos: doc(completeStageSchema.shape.confirmOpenTodos, { type: "boolean" }, "Complete even with open to-dos (otherwise a 422 lists them)").optional() })
  .strict()
  .meta({ id: "CompleteStage" });

export const addCommentBody = z.object({ body: doc(addCommentSchema.shape.body, { type: "string", minLength: 1, maxLength: 4000 }, "The comment; @name mentions a person who may read the order") }).strict().meta({ id: "AddComment" });

/** multipart/form-data: the order's version and one or more files named `attachments`. */
export const uploadBody = z
  .object({
    version: z.string().meta({ description: "The order's version you read" }),
    attachments: z.array(z.string().meta({ format: "binary" })).meta({ description: "PDF or images; the upload limits of the app apply" }),
  })
  .meta({ id: "Upload" });

// --- Answers --------------------------------------------------------------------------------

const isoTime = z.string().meta({ format: "date-time" });
const stageEnum = z.enum(stageKeys);

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(z.object({ pointer: z.string(), detail: z.string() })).optional().meta({ description: "Every field error, each with a JSON pointer into the request" }),
    currentVersion: z.number().int().optional(),
    changes: z.array(z.object({ at: isoTime, who: z.string(), text: z.string() })).optional(),
    order: z.unknown().optional().meta({ description: "On a 409: the order as it is now" }),
    openTodos: z.array(z.string()).optional(),
    reference: z.string().optional(),
  })
  .meta({ id: "Problem", description: "RFC 9457 problem details" });

export const nextStepSchema = z
  .object({
    stage: stageEnum.nullable(),
    stageName: z.string().nullable(),
    owner: z.enum(roleKeys).nullable().meta({ description: "The role that completes the current stage" }),
    outcome: z.enum(["advance", "hold", "complete", "none"]).meta({ description: "What completing the stage would do now" }),
    to: stageEnum.nullable(),
    missing: z.record(z.string(), z.array(z.string())).meta({ description: "What completing needs: field key → messages" }),
    openTodos: z.array(z.object({ key: z.string(), label: z.string() })),
  })
  .meta({ id: "NextStep" });

export const orderSummarySchema = z
  .object({
    number: z.string(),
    id: z.number().int(),
    storeId: z.number().int(),
    storeName: z.string(),
    productSummary: z.string(),
    quantity: z.number().int().nullable(),
    stage: stageEnum,
    state: z.enum(orderStates),
    stageEnteredAt: isoTime,
    stageDueAt: isoTime,
    requiredDeliveryDate: z.string().nullable(),
    url: z.string(),
  })
  .meta({ id: "OrderSummary" });

export const orderListSchemaOut = z.object({ data: z.array(orderSummarySchema), nextCursor: z.string().nullable() }).meta({ id: "OrderList" });

export const orderSchema = z
  .object({
    number: z.string(),
    id: z.number().int(),
    version: z.number().int().meta({ description: "Send it back with a change; raised by every change" }),
    store: z.object({ id: z.number().int(), name: z.string(), timeZone: z.string() }),
    stage: stageEnum,
    stageName: z.string(),
    state: z.enum(orderStates),
    fields: z.record(z.string(), z.unknown()).meta({ description: `Field values by key (${fieldKeys})` }),
    doneTodos: z.array(z.string()),
    stageEnteredAt: isoTime,
    stageDueAt: isoTime,
    requiredDeliveryDate: z.string().nullable(),
    createdAt: isoTime,
    updatedAt: isoTime,
    submittedAt: isoTime.nullable(),
    receivedAt: isoTime.nullable(),
    cancelReason: z.string().nullable(),
    nextStep: nextStepSchema,
    history: z.array(z.object({ at: isoTime, version: z.number().int(), kind: z.string(), stage: stageEnum.nullable(), who: z.string(), text: z.string() })),
    comments: z.array(z.object({ id: z.number().int(), author: z.string(), body: z.string(), createdAt: isoTime, editedAt: isoTime.nullable() })),
    attachments: z.array(z.object({ id: z.number().int(), filename: z.string(), contentType: z.string(), size: z.number().int(), createdAt: isoTime, url: z.string() })),
  })
  .meta({ id: "Order" });

export const commentSchemaOut = z
  .object({ id: z.number().int(), order: z.string(), author: z.string(), body: z.string(), createdAt: isoTime })
  .meta({ id: "Comment" });

export const storeSchemaOut = z.object({ id: z.number().int(), code: z.string(), name: z.string(), timeZone: z.string(), archived: z.boolean() }).meta({ id: "Store" });
export const storeListSchemaOut = z.object({ data: z.array(storeSchemaOut) }).meta({ id: "StoreList" });

export const meSchemaOut = z
  .object({
    account: z.object({ id: z.number().int(), name: z.string(), email: z.string(), roles: z.array(z.enum(roleKeys)), storeIds: z.array(z.number().int()) }),
    key: z.object({ id: z.number().int(), name: z.string(), prefix: z.string(), expiresAt: isoTime.nullable() }),
    rateLimit: z.object({ limit: z.number().int(), remaining: z.number().int(), resetSeconds: z.number().int() }),
  })
  .meta({ id: "Me" });
