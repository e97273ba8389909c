import type { Db } from "@/db/client";
import { attachmentFile } from "@/db/queries/orders";
import { can } from "@/lib/auth/policy";
import { reportUnexpected } from "@/lib/errors";
import { parseId } from "@/lib/forms/input";
import { DOWNLOAD_URL_SECONDS, type FileStore, fileStore } from "@/lib/storage";
import type { Actor } from "@/lib/workflow";

/**
 * GET /orders/<id>/attachments/<attachmentId> for an account (null: signed out), without the
 * framework: the file to accounts that may read its order; 404 for every other id, spelling and
 * account. A file in object storage is a redirect to a link that works for a minute (a presigned
 * GET naming the file and its checked type); one in the local folder, or one not yet moved out of
 * the database, is streamed from here. Its security headers (a sandboxing policy of its own) come
 * from the proxy.
 */
export async function serveAttachment(actor: Actor | null, params: { id: string; attachmentId: string }, db: Db, store: FileStore = fileStore()): Promise<Response> {
  if (!actor) return new Response("Sign in to open attachments", { status: 401 });
  const id = parseId(params.attachmentId);
  const orderId = parseId(params.id);
  if (id === null || orderId === null) return new Response("Not found", { status: 404 });
  const row = await attachmentFile(db, id);
  if (!row || row.attachment.orderId !== orderId || !can.order(actor, "readOrder", row.order)) return new Response("Not found", { status: 404 });
  const { attachment } = row;
  const inline = attachment.contentType === "application/pdf" || attachment.contentType.startsWith("image/");
  const headers = {
    "Content-Type": attachment.contentType,
    "Content-Length": String(attachment.size),
    "Content-Disposition": `${inline ? "inline" : "attachment"}; filename*=UTF-8''${encodeURIComponent(attachment.filename.toWellFormed())}`,
    "Cache-Control": "private, no-store",
  };
  if (attachment.storageKey) {
    const key = attachment.storageKey;
    const url = await store.downloadUrl(key, { filename: attachment.filename, contentType: attachment.contentType, inline, expiresInSeconds: DOWNLOAD_URL_SECONDS });
    if (url) return new Response(null, { status: 302, headers: { Location: url, "Cache-Control": "private, no-store" } });
    try {
      return new Response(await store.read(key), { headers });
    } catch (error) {
      reportUnexpected("attachment file missing from the file store", error);
      return new Response("This file is missing from storage", { status: 404 });
    }
  }
  // A file attached before files moved out of the database, not yet moved (npm run attachments:move).
  if (attachment.data) return new Response(new Uint8Array(attachment.data), { headers });
  return new Response("Not found", { status: 404 });
}
