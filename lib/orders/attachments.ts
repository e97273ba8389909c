import "server-only";
import { randomUUID } from "node:crypto";
import { eq, inArray } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { fileUploads } from "@/db/schema";
import { uploadLimits } from "@/lib/env";
import { safeFilename } from "@/lib/forms/input";
import { SNIFF_BYTES, type AttachmentType, type UploadLimits, sniffType, uploadProblem, wrongTypeMessage } from "./uploads";
import { fileStore } from "@/lib/storage";
import { discardFiles } from "@/lib/storage/housekeeping";

/**
 * Attachments' files, outside the database (decision 021). A file reaches the file store one of
 * two ways: straight from the browser with a signed URL (`file_uploads` says who may attach it,
 * where), or in the form's own request when the page runs no script (checked here, then written
 * by the server). Either way its type is told by its first bytes, and the order's transaction
 * records it; a file that fails a check is removed from the store.
 */

export type CheckedFile = { filename: string; contentType: AttachmentType; data: Buffer; size: number };

/** A file in the store, checked, ready to be recorded as an attachment. */
export type StoredFile = { filename: string; contentType: AttachmentType; size: number; storageKey: string };

export const newFileKey = () => `attachments/${randomUUID()}`;

type Checked<T> = { ok: true; files: T } | { ok: false; error: string };

/**
 * Reads and checks files posted with a form against the upload limits (the same check the
 * browser made before sending them) and by their first bytes; returns the first problem as a message.
 */
export async function checkFiles(files: File[], limits: UploadLimits = uploadLimits()): Promise<Checked<CheckedFile[]>> {
  const named = files.map((file) => ({ file, name: safeFilename(file.name), size: file.size }));
  const problem = uploadProblem(named, limits);
  if (problem) return { ok: false, error: problem };
  const checked: CheckedFile[] = [];
  for (const { file, name } of named) {
    const data = Buffer.from(await file.arrayBuffer());
    const contentType = sniffType(data);
    if (!contentType) return { ok: false, error: wrongTypeMessage(name) };
    checked.push({ filename: name, contentType, data, size: data.length });
  }
  return { ok: true, files: checked };
}

/** Writes checked form files to the store (all or none). */
export async function storeFiles(files: CheckedFile[]): Promise<StoredFile[]> {
  const stored: StoredFile[] = [];
  try {
    for (const f of files) {
      const storageKey = newFileKey();
      await fileStore().write(storageKey, f.data);
      stored.push({ filename: f.filename, contentType: f.contentType, size: f.size, storageKey });
    }
  } catch (error) {
    await discardFiles(stored.map((f) => f.storageKey));
    throw error;
  }
  return stored;
}

/** Removes files from the store, best effort (a failed transaction's, a refused upload's). */

/** Where an upload may be attached: an order, or (while it is being created) an order of a store. */
export type UploadTarget = { orderId: number } | { storeId: number };

/**
 * The browser's uploads, checked before the order's transaction records them: each must be this
 * account's, for this order (or store), in the store at the size it was announced at and within
 * the limit, and a PDF or an image by its first bytes. A file that fails is removed with its row,
 * so it cannot be tried again; one not (yet) in the store is left for the browser to finish.
 */
export async function checkUploads(db: Executor, accountId: number, ids: readonly string[], target: UploadTarget, limits: UploadLimits = uploadLimits()): Promise<Checked<StoredFile[]>> {
  if (!ids.length) return { ok: true, files: [] };
  if (new Set(ids).size !== ids.length || ids.length > limits.files) return { ok: false, error: `Attach at most ${limits.files} files at once` };
  const rows = await db.select().from(fileUploads).where(inArray(fileUploads.id, [...ids]));
  const mine = rows.filter((r) => r.accountId === accountId && ("orderId" in target ? r.orderId === target.orderId : r.orderId === null && r.storeId === target.storeId));
  if (mine.length !== ids.length) return { ok: false, error: "An uploaded file was not found: choose it again" };
  const files: StoredFile[] = [];
  for (const id of ids) {
    const row = mine.find((r) => r.id === id)!;
    const object = await fileStore().stat(row.key);
    if (!object) return { ok: false, error: `${row.filename} did not finish uploading: choose it again` };
    const refuse = async (error: string): Promise<Checked<StoredFile[]>> => {
      await db.delete(fileUploads).where(eq(fileUploads.id, row.id));
      await discardFiles([row.key]);
      return { ok: false, error };
    };
    if (object.size !== row.size || object.size > limits.directFileBytes) return refuse(`${row.filename} is not the file that was announced: choose it again`);
    const contentType = sniffType(await fileStore().head(row.key, SNIFF_BYTES));
    if (!contentType) return refuse(wrongTypeMessage(row.filename));
    files.push({ filename: row.filename, contentType, size: object.size, storageKey: row.key });
  }
  return { ok: true, files };
}

/**
 * Takes the uploads for the order in its transaction: their rows go, and if another request took
 * one first (the same form sent twice), nothing is attached twice.
 */
export async function claimUploads(tx: Executor, ids: readonly string[]): Promise<boolean> {
  if (!ids.length) return true;
  const taken = await tx.delete(fileUploads).where(inArray(fileUploads.id, [...ids])).returning({ id: fileUploads.id });
  return taken.length === ids.length;
}

