import type { Db } from "@/db/client";
import { attachmentFile } from "@/db/queries/orders";
import { can } from "@/lib/auth/policy";
import { parseId } from "@/lib/forms/input";
import type { Actor } from "@/lib/workflow";

/**
 * GET /orders/<id>/attachments/<attachmentId> for an account (null: signed out), without the
 * framework: the file to accounts that may read its order; 404 for every other id, spelling and
 * account. Its security headers (a sandboxing policy of its own) come from the proxy.
 */
export async function serveAttachment(actor: Actor | null, params: { id: string; attachmentId: string }, db: Db): Promise<Response> {
  if (!actor) return new Response("Sign in to open attachments", { status: 401 });
  const id = parseId(params.attachmentId);
  const orderId = parseId(params.id);
  if (id === null || orderId === null) return new Response("Not found", { status: 404 });
  const row = await attachmentFile(db, id);
  if (!row || row.attachment.orderId !== orderId || !can.order(actor, "readOrder", row.order)) return new Response("Not found", { status: 404 });
  const { attachment } = row;
  const inline = attachment.contentType === "application/pdf" || attachment.contentType.startsWith("image/");
  return new Response(new Uint8Array(attachment.data), {
    headers: {
      "Content-Type": attachment.contentType,
      "Content-Length": String(attachment.size),
      "Content-Disposition": `${inline ? "inline" : "attachment"}; filename*=UTF-8''${encodeURIComponent(attachment.filename.toWellFormed())}`,
      "Cache-Control": "private, no-store",
    },
  });
}
