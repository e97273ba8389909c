import { getDb } from "@/db/client";
import { attachmentFile } from "@/db/queries/orders";
import { can } from "@/lib/auth/policy";
import { currentActor } from "@/lib/auth/session";
import { idSchema } from "@/lib/workflow";

/** Serves an attachment to accounts that may read its order; 404 for everyone else. */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string; attachmentId: string }> }) {
  const actor = await currentActor();
  if (!actor) return new Response("Sign in to open attachments", { status: 401 });
  const p = await params;
  const id = idSchema.safeParse(p.attachmentId);
  const orderId = idSchema.safeParse(p.id);
  if (!id.success || !orderId.success) return new Response("Not found", { status: 404 });
  const row = await attachmentFile(await getDb(), id.data);
  if (!row || row.attachment.orderId !== orderId.data || !can.order(actor, "readOrder", row.order)) return new Response("Not found", { status: 404 });
  const { attachment } = row;
  const inline = attachment.contentType === "application/pdf" || attachment.contentType.startsWith("image/");
  return new Response(new Uint8Array(attachment.data), {
    headers: {
      "Content-Type": attachment.contentType,
      "Content-Length": String(attachment.size),
      "Content-Disposition": `${inline ? "inline" : "attachment"}; filename*=UTF-8''${encodeURIComponent(attachment.filename)}`,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
      "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    },
  });
}
