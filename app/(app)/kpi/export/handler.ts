import type { Db } from "@/db/client";
import { listStores } from "@/db/queries/orders";
import { can } from "@/lib/auth/policy";
import { reportUnexpected } from "@/lib/errors";
import { kpiCsv, kpiCsvFilename } from "@/lib/kpi/export";
import { parseKpiFilter } from "@/lib/kpi/filters";
import type { Actor } from "@/lib/workflow";

/**
 * GET /kpi/export for an account (null: signed out), without the framework: the orders behind the
 * KPI page as CSV, same filter, same scope. A filter that cannot be used is a 400 with its field
 * messages; a store that does not exist or is not the account's is a 404, never an empty file.
 */
export async function exportKpis(actor: Actor | null, request: Request, db: Db): Promise<Response> {
  if (!actor) return new Response("Sign in to export KPIs.", { status: 401 });
  if (!can.viewKpi(actor)) return new Response("Not found", { status: 404 });
  const { filter, errors } = parseKpiFilter(Object.fromEntries(new URL(request.url).searchParams));
  if (Object.keys(errors).length) return Response.json({ fieldErrors: errors }, { status: 400 });
  if (filter.storeId) {
    const readable = can.readStore(actor, filter.storeId) && (await listStores(db, actor)).some((s) => s.id === filter.storeId);
    if (!readable) return new Response("Not found", { status: 404 });
  }

  const lines = kpiCsv(db, actor, filter);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await lines.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        reportUnexpected("KPI export", error);
        controller.error(error);
      }
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${kpiCsvFilename(filter)}"`,
      "cache-control": "private, no-store",
    },
  });
}
