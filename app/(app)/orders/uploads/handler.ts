import type { Db } from "@/db/client";
import { reportUnexpected } from "@/lib/errors";
import { prepareUpload } from "@/lib/orders/commands";
import type { PrepareUploadInput } from "@/lib/orders/schemas";
import type { Actor } from "@/lib/workflow";

const json = (body: unknown, status: number) => Response.json(body, { status, headers: { "Cache-Control": "private, no-store" } });

/**
 * POST /orders/uploads for an account (null: signed out), without the framework: a signed URL to
 * send one file straight to storage, for an order this account may add attachments to (or one it
 * is creating). JSON in (`{ orderId | storeId, filename, size }`), JSON out: `{ id, url, headers }`,
 * or `{ fieldErrors, formError }` with 400, 401, 404 or 415. Only JSON is taken, so a page of
 * another site cannot post here without the browser asking first (and being refused).
 */
export async function prepareUploadRoute(actor: Actor | null, request: Request, db: Db): Promise<Response> {
  if (!actor) return json({ signedOut: true, formError: "Your session has ended: sign in again to continue." }, 401);
  if (!/^application\/json\s*(;|$)/i.test(request.headers.get("content-type") ?? "")) return json({ formError: "Send the file's details as JSON." }, 415);
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return json({ formError: "Send the file's details as JSON." }, 400);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return json({ formError: "Send the file's details as JSON." }, 400);
  try {
    const result = await prepareUpload({ db, actor }, body as PrepareUploadInput);
    if (!result.ok) return json({ fieldErrors: result.fieldErrors, formError: result.formError }, result.notFound ? 404 : 400);
    const { id, url, headers, expiresAt } = result.upload;
    return json({ id, url, headers, expiresAt: expiresAt.toISOString() }, 200);
  } catch (error) {
    const ref = reportUnexpected("preparing an upload", error);
    return json({ formError: `Something went wrong on our side (reference ${ref}): try again.` }, 500);
  }
}
