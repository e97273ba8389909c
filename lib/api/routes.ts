import "server-only";
import { DOWNLOAD_URL_SECONDS, fileStore } from "@/lib/storage";
import { z } from "zod";
import { eq } from "drizzle-orm";
import { attachmentFile, listOrders, listStores } from "@/db/queries/orders";
import { orders } from "@/db/schema";
import type { Order } from "@/db/schema";
import { parseId } from "@/lib/forms/input";
import { attachmentTypes } from "@/lib/orders/uploads";
import { addAttachments, completeStage, createOrder, saveFields, toggleTodo } from "@/lib/orders/commands";
import { addComment } from "@/lib/orders/conversation";
import type { Failure } from "@/lib/result";
import { type OrderAction, decide, firstStage, formatOrderNumber, isFieldKey, parseOrderNumber, stageOfField } from "@/lib/workflow";
import { claimIdempotencyKey, releaseIdempotencyKey, requestHash, storeIdempotentAnswer, submissionTokenOf, validIdempotencyKey } from "./idempotency";
import { orderPath, orderSummary, presentOrder } from "./present";
import { failureProblem, problem } from "./problem";
import { type ApiAnswer, type ApiContext, type ApiRoute, defineRoute } from "./route";
import {
  addCommentBody,
  attachmentParams,
  commentSchemaOut,
  completeStageBody,
  createOrderBody,
  listOrdersQuery,
  meSchemaOut,
  orderListSchemaOut,
  orderNumberParams,
  orderSchema,
  problemSchema,
  saveStageBody,
  storeListSchemaOut,
  todoParams,
  toggleTodoBody,
} from "./schemas";

/**
 * Every /api/v1 route, in one registry: the route files serve them (app/api/v1/), the OpenAPI
 * document and the reference page describe them, and the fuzz suite drives them. Each calls the
 * same command as the page does, with the API key's account as the actor; the command checks the
 * policy against the loaded order, as it does for a form. The route asks the policy only to
 * choose the status of a refusal (403 for "not yours to do", 422 for "not like this").
 */

/** Problems a route can answer besides those every route can (401, 429, 500) and every body can (400, 413, 415, 422): lib/api/openapi.ts adds those. */
const problems = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, { description: problem(s).title, schema: problemSchema, contentType: "application/problem+json" }]));

/** The order the path names, if the account may read it (otherwise the same 404 as a missing one). */
async function orderOf(ctx: ApiContext, number: string): Promise<Order | null> {
  const id = parseOrderNumber(number);
  if (id === null) return null;
  const [order] = await ctx.db.select().from(orders).where(eq(orders.id, id));
  return order && decide(ctx.actor, "readOrder", order).ok ? order : null;
}

const notFound = (number: string): ApiAnswer => ({ problem: problem(404, `No order ${number.slice(0, 40)} that this key may read`) });

/** A refused order command as its problem: a conflict carries the order as it is now. */
async function refused(ctx: ApiContext, order: Order, failure: Failure, action: OrderAction | null, options: { fieldPrefix?: string; forbidden?: boolean } = {}): Promise<ApiAnswer> {
  const forbidden = options.forbidden ?? (action ? !decide(ctx.actor, action, order).ok : false);
  const p = failureProblem(failure, { forbidden, fieldPrefix: options.fieldPrefix, hidden: ["orderId"] });
  if (p.status === 409) p.order = await presentOrder(ctx.db, ctx.actor, order.id);
  return { problem: p };
}

const orderAnswer = async (ctx: ApiContext, id: number, status = 200): Promise<ApiAnswer> => ({
  status,
  body: await presentOrder(ctx.db, ctx.actor, id),
  audit: { order: formatOrderNumber(id) },
});

export const listOrdersRoute = defineRoute({
  method: "GET",
  path: "/orders",
  operationId: "listOrders",
  summary: "List orders",
  description:
    "The queue's filters, as on the Orders page: `view` (queue: the account's queue; all; inspect), `q` (number or text), `stage`, `state`, `store`, `sla`, `mine`, `assigned`, `sort`. Pages of 25 by keyset: pass `nextCursor` as `after` for the next page. Unusable filter values are ignored, as on the page.",
  write: false,
  query: listOrdersQuery,
  responses: { 200: { description: "A page of orders", schema: orderListSchemaOut } },
  handle: async ({ query }, ctx) => {
    const page = await listOrders(ctx.db, ctx.actor, { ...query, before: undefined, page: 1 }, ctx.now ?? new Date(), { count: false });
    return { status: 200, body: { data: page.rows.map(orderSummary), nextCursor: page.next } };
  },
});

export const getOrderRoute = defineRoute({
  method: "GET",
  path: "/orders/{number}",
  operationId: "getOrder",
  summary: "Read an order",
  description: "Fields, stage, state, due times, what completing the stage needs (`nextStep`), history, comments and attachment links.",
  write: false,
  params: orderNumberParams,
  responses: { 200: { description: "The order", schema: orderSchema }, ...problems(404) },
  handle: async ({ params }, ctx) => {
    const order = await orderOf(ctx, params.number);
    return order ? orderAnswer(ctx, order.id) : notFound(params.number);
  },
});

export const createOrderRoute = defineRoute({
  method: "POST",
  path: "/orders",
  operationId: "createOrder",
  summary: "Create an order",
  description:
    "Creates an order in Store Order for one of the account's stores. Send an `Idempotency-Key` header (any printable text up to 255 characters) to retry safely: for 24 hours the same key with the same body answers with the first result (`Idempotent-Replayed: true`), with another body it is a 409.",
  write: true,
  idempotent: true,
  body: createOrderBody,
  example: { storeId: 1, productSpecifications: "Oak dining table, 180 × 90 cm, oiled finish", orderQuantity: 2, requiredDeliveryDate: "2027-03-01" },
  responses: { 201: { description: "The order made (or, for a retry, the first answer)", schema: orderSchema }, ...problems(403, 409) },
  handle: async ({ body, raw }, ctx) => {
    const header = ctx.request.headers.get("idempotency-key");
    if (header !== null && !validIdempotencyKey(header)) return { problem: problem(400, "An Idempotency-Key is 1 to 255 printable ASCII characters", { errors: [{ pointer: "header:Idempotency-Key", detail: "Use 1 to 255 printable ASCII characters" }] }) };
    const now = ctx.now ?? new Date();
    const claim = header === null ? null : await claimIdempotencyKey(ctx.db, ctx.key.id, header, requestHash(raw), now);
    if (claim?.kind === "mismatch") return { problem: problem(409, "This Idempotency-Key was used with another request body: use a new key for a new order") };
    if (claim?.kind === "replay") {
      const replayed = claim.body as { id?: number } | null;
      return { status: claim.status, body: claim.body, headers: { "Idempotent-Replayed": "true", ...(replayed?.id ? { Location: orderPath(replayed.id) } : {}) }, audit: false };
    }
    const token = header !== null && claim && "claimedAt" in claim ? submissionTokenOf(ctx.key.id, header, claim.claimedAt) : undefined;
    const result = await createOrder(ctx, { ...body, ...(token ? { submissionToken: token } : {}) });
    if (!result.ok) {
      if (header !== null) await releaseIdempotencyKey(ctx.db, ctx.key.id, header);
      const forbidden = !decide(ctx.actor, "createOrder", { storeId: body.storeId, stage: firstStage, state: "active" }).ok;
      return { problem: failureProblem(result, { forbidden, hidden: ["submissionToken"] }) };
    }
    const answer = await orderAnswer(ctx, result.order.id, 201);
    if (header !== null && "body" in answer) await storeIdempotentAnswer(ctx.db, ctx.key.id, header, result.order.id, 201, answer.body);
    const replayed = claim?.kind === "inFlight";
    return { ...answer, headers: { Location: orderPath(result.order.id), ...(replayed ? { "Idempotent-Replayed": "true" } : {}) }, ...(replayed ? { audit: false as const } : {}) };
  },
});

export const saveStageRoute = defineRoute({
  method: "PATCH",
  path: "/orders/{number}/stage",
  operationId: "saveStage",
  summary: "Save the current stage's fields",
  description:
    "Saves fields of the order's current stage, as the stage form does, with the `version` you read. When the order moved on, or one of the same fields changed since that version, it is a 409 with the changes and the order as it is now; a colleague's change to other fields is no conflict. Each field is checked by its own schema and every error is returned.",
  write: true,
  params: orderNumberParams,
  body: saveStageBody,
  example: { version: 3, fields: { productionStatus: "inProgress", completionPercentage: 40 } },
  responses: { 200: { description: "The order after the change", schema: orderSchema }, ...problems(403, 404, 409) },
  handle: async ({ params, body }, ctx) => {
    const order = await orderOf(ctx, params.number);
    if (!order) return notFound(params.number);
    const keys = Object.keys(body.fields);
    if (!keys.length) return { problem: problem(422, "Send at least one field", { errors: [{ pointer: "#/fields", detail: "Send at least one field" }] }) };
    const result = await saveFields(ctx, { orderId: order.id, version: body.version, values: body.fields, confirmOverload: body.confirmOverload ?? false });
    if (result.ok) return orderAnswer(ctx, order.id);
    const forbidden = keys.some((k) => isFieldKey(k) && stageOfField(k) === order.stage && !decide(ctx.actor, "editField", order, k).ok);
    return refused(ctx, order, result, null, { fieldPrefix: "fields", forbidden });
  },
});

export const toggleTodoRoute = defineRoute({
  method: "POST",
  path: "/orders/{number}/todos/{key}",
  operationId: "toggleTodo",
  summary: "Tick or untick a to-do",
  write: true,
  params: todoParams,
  body: toggleTodoBody,
  example: { version: 1, done: true },
  responses: { 200: { description: "The order after the change", schema: orderSchema }, ...problems(403, 404, 409) },
  handle: async ({ params, body }, ctx) => {
    const order = await orderOf(ctx, params.number);
    if (!order) return notFound(params.number);
    const result = await toggleTodo(ctx, { orderId: order.id, version: body.version, todo: params.key, done: body.done });
    return result.ok ? orderAnswer(ctx, order.id) : refused(ctx, order, result, "toggleTodo");
  },
});

export const completeStageRoute = defineRoute({
  method: "POST",
  path: "/orders/{number}/complete",
  operationId: "completeStage",
  summary: "Complete the current stage",
  description: "Moves the order on as the stage form's “Complete stage” does. A 422 lists what is missing; open to-dos need `confirmOpenTodos: true`.",
  write: true,
  params: orderNumberParams,
  body: completeStageBody,
  example: { version: 4, confirmOpenTodos: false },
  responses: { 200: { description: "The order after the change", schema: orderSchema }, ...problems(403, 404, 409) },
  handle: async ({ params, body }, ctx) => {
    const order = await orderOf(ctx, params.number);
    if (!order) return notFound(params.number);
    const result = await completeStage(ctx, { orderId: order.id, version: body.version, confirmOpenTodos: body.confirmOpenTodos ?? false });
    return result.ok ? orderAnswer(ctx, order.id) : refused(ctx, order, result, "completeStage");
  },
});

export const addCommentRoute = defineRoute({
  method: "POST",
  path: "/orders/{number}/comments",
  operationId: "addComment",
  summary: "Comment on an order",
  write: true,
  params: orderNumberParams,
  body: addCommentBody,
  example: { body: "The customer asked for a darker stain." },
  responses: { 201: { description: "The comment", schema: commentSchemaOut }, ...problems(403, 404) },
  handle: async ({ params, body }, ctx) => {
    const order = await orderOf(ctx, params.number);
    if (!order) return notFound(params.number);
    const result = await addComment(ctx, { orderId: order.id, body: body.body });
    if (!result.ok) return refused(ctx, order, result, "comment");
    const c = result.comment;
    return { status: 201, body: { id: c.id, order: formatOrderNumber(order.id), author: ctx.actor.name, body: c.body, createdAt: c.createdAt.toISOString() }, audit: { order: formatOrderNumber(order.id), comment: c.id } };
  },
});

export const uploadRoute = defineRoute({
  method: "POST",
  path: "/orders/{number}/attachments",
  operationId: "addAttachments",
  summary: "Attach files",
  description: "multipart/form-data with `version` and one or more files named `attachments` (PDF or images, within the app's upload limits).",
  write: true,
  params: orderNumberParams,
  // Read from the multipart form and parsed by the command's own schema (addAttachmentSchema); documented as `Upload`.
  body: z.object({ version: z.unknown(), attachments: z.unknown() }),
  bodyKind: "multipart",
  responses: { 201: { description: "The order after the change", schema: orderSchema }, ...problems(403, 404, 409) },
  handle: async ({ params, raw }, ctx) => {
    const order = await orderOf(ctx, params.number);
    if (!order) return notFound(params.number);
    const form = raw as { version?: unknown; attachments?: unknown };
    const result = await addAttachments(ctx, { orderId: order.id, version: form.version as string, attachments: form.attachments as File[] });
    return result.ok ? orderAnswer(ctx, order.id, 201) : refused(ctx, order, result, "addAttachment");
  },
});

export const getAttachmentRoute = defineRoute({
  method: "GET",
  path: "/orders/{number}/attachments/{attachmentId}",
  operationId: "getAttachment",
  summary: "Download an attachment",
  write: false,
  params: attachmentParams,
  responses: { 200: { description: "The file", contentType: [...attachmentTypes] }, ...problems(404) },
  handle: async ({ params }, ctx) => {
    const order = await orderOf(ctx, params.number);
    const id = parseId(params.attachmentId);
    const row = order && id !== null ? await attachmentFile(ctx.db, id) : null;
    if (!order || !row || row.attachment.orderId !== order.id) return { problem: problem(404, "No such attachment on an order this key may read") };
    const { attachment } = row;
    const headers = {
      "Content-Type": attachment.contentType,
      "Content-Length": String(attachment.size),
      "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(attachment.filename.toWellFormed())}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    };
    // In object storage: a redirect to a link that works for a minute; in the local folder (or
    // not yet moved out of the database): the bytes from here.
    if (attachment.storageKey) {
      const store = fileStore();
      const url = await store.downloadUrl(attachment.storageKey, { filename: attachment.filename, contentType: attachment.contentType, inline: false, expiresInSeconds: DOWNLOAD_URL_SECONDS });
      if (url) return { response: new Response(null, { status: 302, headers: { Location: url, "Cache-Control": "private, no-store" } }) };
      return { response: new Response(await store.read(attachment.storageKey), { headers }) };
    }
    if (!attachment.data) return { problem: problem(404, "This file is missing from storage") };
    return { response: new Response(new Uint8Array(attachment.data), { headers }) };
  },
});

export const listStoresRoute = defineRoute({
  method: "GET",
  path: "/stores",
  operationId: "listStores",
  summary: "List the stores this key's account may see",
  write: false,
  responses: { 200: { description: "Stores", schema: storeListSchemaOut } },
  handle: async (_input, ctx) => {
    const rows = await listStores(ctx.db, ctx.actor);
    return { status: 200, body: { data: rows.map((s) => ({ id: s.id, code: s.code, name: s.name, timeZone: s.timeZone, archived: Boolean(s.archivedAt) })) } };
  },
});

export const meRoute = defineRoute({
  method: "GET",
  path: "/me",
  operationId: "me",
  summary: "The account this key acts as",
  write: false,
  responses: { 200: { description: "The account, the key and its limit", schema: meSchemaOut } },
  handle: async (_input, ctx) => ({
    status: 200,
    body: {
      account: { id: ctx.actor.id, name: ctx.actor.name, email: ctx.actor.email, roles: ctx.actor.roles, storeIds: ctx.actor.storeIds },
      key: { id: ctx.key.id, name: ctx.key.name, prefix: ctx.key.prefix, expiresAt: ctx.key.expiresAt?.toISOString() ?? null },
      rateLimit: { limit: ctx.rate.limit, remaining: ctx.rate.remaining, resetSeconds: ctx.rate.resetSeconds },
    },
  }),
});

/** Every route, in the reference's order. */
export const apiRoutes: ApiRoute[] = [
  meRoute,
  listStoresRoute,
  listOrdersRoute,
  createOrderRoute,
  getOrderRoute,
  saveStageRoute,
  toggleTodoRoute,
  completeStageRoute,
  addCommentRoute,
  uploadRoute,
  getAttachmentRoute,
];

