import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { can } from "@/lib/auth/policy";
import { currentActor } from "@/lib/auth/session";
import { kpiCsv, kpiCsvFilename } from "@/lib/kpi/export";
import { parseKpiFilter } from "@/lib/kpi/filters";

export const dynamic = "force-dynamic";

/** GET /kpi/export?period=…&store=…: the orders behind the KPI page as CSV, same filter, same scope. */
export async function GET(request: NextRequest) {
  const actor = await currentActor();
  if (!actor) return new Response("Sign in to export KPIs.", { status: 401 });
  if (!can.viewKpi(actor)) return new Response("Not found", { status: 404 });
  const { filter, errors } = parseKpiFilter(Object.fromEntries(request.nextUrl.searchParams));
  if (Object.keys(errors).length) {
    return Response.json({ fieldErrors: errors }, { status: 400 });
  }
  if (filter.storeId && !can.readStore(actor, filter.storeId)) return new Response("Not found", { status: 404 });

  const db = await getDb();
  const lines = kpiCsv(db, actor, filter);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await lines.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        console.error("KPI export failed", error);
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
