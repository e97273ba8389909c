import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { eq, sql } from "drizzle-orm";
import type { Connection } from "@/db/client";
import { attachments, fileUploads } from "@/db/schema";
import { PUT } from "@/app/api/files/[token]/route";
import { serveAttachment } from "@/app/(app)/orders/[id]/attachments/[attachmentId]/handler";
import { prepareUploadRoute } from "@/app/(app)/orders/uploads/handler";
import { removeAbandonedUploads } from "@/lib/storage/housekeeping";
import { addAttachments, createOrder, toggleTodo } from "@/lib/orders/commands";
import { moveAttachmentsToStore } from "@/lib/orders/move-attachments";
import { type FileStore, setFileStore } from "@/lib/storage";
import { testDatabase } from "./database";
import { type Actors, historyOf, inDays, orderIn, pdfFile, seedActors } from "./fixtures";
import { testLocalStore, testS3Store } from "./storage";

/**
 * Attachments outside the database, as the browser sends them: a signed URL asked for as JSON
 * (POST /orders/uploads), the bytes PUT straight to storage, then the form names the upload and
 * the order's transaction records it. Against the local folder and against S3-compatible storage
 * (s3rver). Reading goes through the attachment route, for those who may read the order only.
 */

let conn: Connection;
let actors: Actors;
let storeIds: { north: number; south: number };
const local = testLocalStore();
beforeAll(async () => {
  conn = await testDatabase();
  ({ actors, storeIds } = await seedActors(conn.db));
});
afterAll(async () => {
  await conn.close();
  local.remove();
});

const manager = () => ({ db: conn.db, actor: actors["store.north@example.com"] });
const pdfBytes = (size: number) => {
  const bytes = randomBytes(size);
  bytes.set(Buffer.from("%PDF-1.7\n"));
  return new Uint8Array(bytes);
};

/** What the page's script does: ask for a URL, then PUT the bytes there. Returns the upload's id. */
async function browserUpload(store: FileStore, as: string, target: { orderId: number } | { storeId: number }, filename: string, bytes: Uint8Array<ArrayBuffer>, announced = bytes.byteLength) {
  const asked = await prepareUploadRoute(actors[as], new Request("http://localhost/orders/uploads", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...target, filename, size: announced }) }), conn.db);
  const answer = (await asked.json()) as { id: string; url: string; headers: Record<string, string>; formError?: string; fieldErrors?: Record<string, string[]> };
  if (asked.status !== 200) return { status: asked.status, answer };
  const put =
    store.kind === "s3"
      ? await fetch(answer.url, { method: "PUT", body: bytes, headers: answer.headers })
      : await PUT(new Request(`http://localhost${answer.url}`, { method: "PUT", body: bytes, headers: { "content-length": String(bytes.byteLength) } }), { params: Promise.resolve({ token: answer.url.replace("/api/files/", "") }) });
  return { status: put.status, answer };
}

/** Opens an attachment as `as` would, following a redirect to storage: the status and the bytes. */
async function open(as: string, orderId: number, attachmentId: number) {
  const first = await serveAttachment(actors[as], { id: String(orderId), attachmentId: String(attachmentId) }, conn.db);
  const response = first.status === 302 ? await fetch(first.headers.get("location")!) : first;
  return { status: response.status, redirected: first.status === 302, type: response.headers.get("content-type"), bytes: new Uint8Array(await response.arrayBuffer()) };
}

describe.each([
  ["local folder", () => local.store as FileStore],
  ["S3-compatible (s3rver)", () => testS3Store() as FileStore],
])("%s", (_name, makeStore) => {
  let store: FileStore;
  beforeAll(() => {
    store = makeStore();
    setFileStore(store);
  });

  test("straight to storage, recorded in one transaction with history and version; read back byte-identical by its readers only", async () => {
    const order = await orderIn(conn.db, { storeCode: "north", to: "storeOrder" });
    const bytes = pdfBytes(2 * 1024 * 1024 + 17);
    const up = await browserUpload(store, "store.north@example.com", { orderId: order.id }, "Drawing rev B.pdf", bytes);
    expect(up.status).toBe(200);
    // Uploaded, not yet attached: nothing on the order.
    expect(await conn.db.select().from(attachments).where(eq(attachments.orderId, order.id))).toHaveLength(0);

    const r = await addAttachments(manager(), { orderId: order.id, version: order.version, uploads: [up.answer.id] });
    if (!r.ok) throw new Error(JSON.stringify(r));
    expect(r.order.version).toBe(order.version + 1);
    const [row] = await conn.db.select().from(attachments).where(eq(attachments.orderId, order.id));
    expect(row).toMatchObject({ filename: "Drawing rev B.pdf", contentType: "application/pdf", size: bytes.byteLength, stage: "storeOrder", data: null });
    expect(row.storageKey).toMatch(/^attachments\//);
    expect((await historyOf(conn.db, order.id)).at(-1)).toMatchObject({ kind: "attachmentAdded", subject: "Drawing rev B.pdf", version: order.version + 1 });
    expect(await conn.db.select().from(fileUploads).where(eq(fileUploads.id, up.answer.id))).toHaveLength(0);

    const mine = await open("store.north@example.com", order.id, row.id);
    expect(mine).toMatchObject({ status: 200, redirected: store.kind === "s3", type: "application/pdf" });
    expect(Buffer.from(mine.bytes).equals(Buffer.from(bytes))).toBe(true);
    expect((await open("dispatch@example.com", order.id, row.id)).status).toBe(200);
    // Another store's manager: not found, and no link to storage.
    const theirs = await serveAttachment(actors["store.south@example.com"], { id: String(order.id), attachmentId: String(row.id) }, conn.db);
    expect(theirs.status).toBe(404);
    expect(theirs.headers.get("location")).toBeNull();
  });

  test("who may upload: another store's manager gets not found, and production (no attachments at Store Order) a refusal; a file over the limit is refused before any URL", async () => {
    const order = await orderIn(conn.db, { storeCode: "north", to: "storeOrder" });
    const south = await browserUpload(store, "store.south@example.com", { orderId: order.id }, "x.pdf", pdfBytes(100));
    expect(south.status).toBe(404);
    expect(south.answer.url).toBeUndefined();
    const production = await browserUpload(store, "production@example.com", { orderId: order.id }, "x.pdf", pdfBytes(100));
    expect(production.status).toBe(400);
    const huge = await browserUpload(store, "store.north@example.com", { orderId: order.id }, "scan.pdf", pdfBytes(10), 100 * 1024 * 1024 + 1);
    expect(huge).toMatchObject({ status: 400, answer: { fieldErrors: { attachments: ["scan.pdf is 100 MB: each file may be at most 100 MB"] } } });
    const signedOut = await prepareUploadRoute(null, new Request("http://localhost/orders/uploads", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }), conn.db);
    expect(signedOut.status).toBe(401);
    const notJson = await prepareUploadRoute(actors["store.north@example.com"], new Request("http://localhost/orders/uploads", { method: "POST", headers: { "content-type": "text/plain" }, body: JSON.stringify({ orderId: order.id, filename: "x.pdf", size: 10 }) }), conn.db);
    expect(notJson.status).toBe(415);
  });

  test("checked by content after the upload: a page named .pdf is refused beside the field and removed; so is a file larger than announced", async () => {
    const order = await orderIn(conn.db, { storeCode: "north", to: "storeOrder" });
    const html = new Uint8Array(Buffer.from("<html><script>alert(1)</script></html>"));
    const fake = await browserUpload(store, "store.north@example.com", { orderId: order.id }, "invoice.pdf", html);
    expect(fake.status).toBe(200);
    const [{ key }] = await conn.db.select({ key: fileUploads.key }).from(fileUploads).where(eq(fileUploads.id, fake.answer.id));
    const r = await addAttachments(manager(), { orderId: order.id, version: order.version, uploads: [fake.answer.id] });
    expect(r).toMatchObject({ ok: false, fieldErrors: { attachments: ["invoice.pdf is not a PDF or an image (PNG, JPEG, GIF, WebP)"] } });
    expect(await store.stat(key)).toBeNull();
    expect(await conn.db.select().from(fileUploads).where(eq(fileUploads.id, fake.answer.id))).toHaveLength(0);

    if (store.kind === "s3") {
      // The signature covers the length; a server that did not check it still meets this check.
      const longer = await browserUpload(store, "store.north@example.com", { orderId: order.id }, "plan.pdf", pdfBytes(2000), 1000);
      if (longer.status === 200) {
        const again = await addAttachments(manager(), { orderId: order.id, version: order.version, uploads: [longer.answer.id] });
        expect(again).toMatchObject({ ok: false, fieldErrors: { attachments: ["plan.pdf is not the file that was announced: choose it again"] } });
      }
    }
    expect(await conn.db.select().from(attachments).where(eq(attachments.orderId, order.id))).toHaveLength(0);
  });

  test("nothing is lost: an upload not finished is reported and kept; a form older than a colleague's change still attaches; another's upload, or the same twice, is never attached", async () => {
    const order = await orderIn(conn.db, { storeCode: "north", to: "storeOrder" });
    const asked = await prepareUploadRoute(actors["store.north@example.com"], new Request("http://localhost/orders/uploads", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ orderId: order.id, filename: "later.pdf", size: 500 }) }), conn.db);
    const { id } = (await asked.json()) as { id: string };
    expect(await addAttachments(manager(), { orderId: order.id, version: order.version, uploads: [id] })).toMatchObject({ fieldErrors: { attachments: ["later.pdf did not finish uploading: choose it again"] } });

    const up = await browserUpload(store, "store.north@example.com", { orderId: order.id }, "kept.pdf", pdfBytes(1500));
    // A colleague ticked a to-do while the file was uploading: the form's version is old, and
    // attaching (which conflicts with nothing but a move) goes ahead.
    const ticked = await toggleTodo({ db: conn.db, actor: actors["dispatch@example.com"] }, { orderId: order.id, version: order.version, todo: "storeOrder.submitSpecifications", done: true });
    expect(ticked.ok).toBe(true);
    const first = await addAttachments(manager(), { orderId: order.id, version: order.version, uploads: [up.answer.id] });
    expect(first.ok).toBe(true);
    const twice = await addAttachments(manager(), { orderId: order.id, version: order.version, uploads: [up.answer.id] });
    expect(twice).toMatchObject({ ok: false, fieldErrors: { attachments: ["An uploaded file was not found: choose it again"] } });
    // South's manager naming North's pending upload, even for an order of their own.
    const pending = await browserUpload(store, "store.north@example.com", { orderId: order.id }, "pending.pdf", pdfBytes(100));
    const southOrder = await orderIn(conn.db, { storeCode: "south", to: "storeOrder" });
    expect(await addAttachments({ db: conn.db, actor: actors["store.south@example.com"] }, { orderId: southOrder.id, version: southOrder.version, uploads: [pending.answer.id] })).toMatchObject({ ok: false });
    expect(await conn.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(attachments).where(eq(attachments.orderId, order.id))).toEqual([{ n: 1 }]);
  });

  test("a new order with a file sent before it existed, and without script a file posted with the form: both in the store, none in the database", async () => {
    const up = await browserUpload(store, "store.north@example.com", { storeId: storeIds.north }, "sketch.png", new Uint8Array(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(800)])));
    expect(up.status).toBe(200);
    // Not usable for another store's order.
    expect(
      await createOrder({ db: conn.db, actor: actors["store.south@example.com"] }, { storeId: storeIds.south, productSpecifications: "Oak desk with two drawers", orderQuantity: 1, requiredDeliveryDate: inDays(20), uploads: [up.answer.id] }),
    ).toMatchObject({ ok: false });
    const made = await createOrder(manager(), { storeId: storeIds.north, productSpecifications: "Oak desk with two drawers", orderQuantity: 1, requiredDeliveryDate: inDays(20), uploads: [up.answer.id], attachments: [pdfFile("spec.pdf")] });
    if (!made.ok) throw new Error(JSON.stringify(made));
    const rows = await conn.db.select().from(attachments).where(eq(attachments.orderId, made.order.id)).orderBy(attachments.id);
    expect(rows.map((r) => [r.filename, r.contentType, r.data, Boolean(r.storageKey)])).toEqual([
      ["spec.pdf", "application/pdf", null, true],
      ["sketch.png", "image/png", null, true],
    ]);
    const posted = await open("store.north@example.com", made.order.id, rows[0].id);
    expect(new TextDecoder().decode(posted.bytes)).toContain("%PDF-1.4");
  });
});

test("files attached before they lived outside the database move with `npm run attachments:move`, and read the same before and after", async () => {
  setFileStore(local.store);
  const order = await orderIn(conn.db, { storeCode: "north", to: "dispatchReceiving" });
  const legacy = [pdfBytes(3000), pdfBytes(70_000), pdfBytes(10)];
  const rows = await conn.db
    .insert(attachments)
    .values(legacy.map((data, i) => ({ orderId: order.id, filename: `old-${i}.pdf`, contentType: "application/pdf", size: data.byteLength, data: Buffer.from(data) })))
    .returning({ id: attachments.id });
  for (const [i, r] of rows.entries()) expect(Buffer.from((await open("dispatch@example.com", order.id, r.id)).bytes).equals(Buffer.from(legacy[i]))).toBe(true);

  const first = await moveAttachmentsToStore(conn.db, { batch: 2 });
  expect(first.moved).toBeGreaterThanOrEqual(3);
  expect(first.left).toBe(0);
  const after = await conn.db.select().from(attachments).where(eq(attachments.orderId, order.id)).orderBy(attachments.id);
  expect(after.every((a) => a.data === null && a.storageKey === `attachments/moved-${a.id}`)).toBe(true);
  for (const [i, r] of rows.entries()) expect(Buffer.from((await open("dispatch@example.com", order.id, r.id)).bytes).equals(Buffer.from(legacy[i]))).toBe(true);
  expect(await moveAttachmentsToStore(conn.db)).toEqual({ moved: 0, bytes: 0, left: 0 });
});

test("uploads never attached are removed (row and file) a day after their URL expired", async () => {
  setFileStore(local.store);
  const order = await orderIn(conn.db, { storeCode: "north", to: "storeOrder" });
  const up = await browserUpload(local.store, "store.north@example.com", { orderId: order.id }, "forgotten.pdf", pdfBytes(100));
  const [{ key }] = await conn.db.select({ key: fileUploads.key }).from(fileUploads).where(eq(fileUploads.id, up.answer.id));
  expect(await removeAbandonedUploads(conn.db, new Date(Date.now() + 3600_000))).toBe(0);
  expect(await removeAbandonedUploads(conn.db, new Date(Date.now() + 26 * 3600_000))).toBeGreaterThanOrEqual(1);
  expect(await local.store.stat(key)).toBeNull();
  expect(await conn.db.select().from(fileUploads).where(eq(fileUploads.id, up.answer.id))).toHaveLength(0);
});
