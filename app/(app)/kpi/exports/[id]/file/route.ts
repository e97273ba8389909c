import { getDb } from "@/db/client";
import { currentActor } from "@/lib/auth/session";
import { serveExportFile } from "@/lib/kpi/export-jobs";

export const dynamic = "force-dynamic";

/** GET /kpi/exports/<id>/file: see serveExportFile. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  return serveExportFile(await currentActor(), (await params).id, await getDb());
}
