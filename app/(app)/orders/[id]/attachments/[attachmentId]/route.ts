import { getDb } from "@/db/client";
import { currentActor } from "@/lib/auth/session";
import { serveAttachment } from "./handler";

/** Serves an attachment to accounts that may read its order; 404 for everyone else (serveAttachment). */
export async function GET(_req: Request, { params }: { params: Promise<{ id: string; attachmentId: string }> }) {
  return serveAttachment(await currentActor(), await params, await getDb());
}
