import type { Db } from "@/db/client";
import { reportUnexpected } from "@/lib/errors";
import { countKpiCsvRows, kpiCsvFilename } from "@/lib/kpi/export";
import { checkExport, directExport, exportLimits } from "@/lib/kpi/export-jobs";
import { kpiSearchParams } from "@/lib/kpi/filters";
import type { Actor } from "@/lib/workflow";

/**
 * GET /kpi/export for an account (null: signed out), without the framework: the orders behind the
 * KPI page as CSV, same filter, same scope. Up to MAKELINE_EXPORT_DIRECT_ROWS orders, the file at
 * once (PostgreSQL's COPY into memory, the connection released before the download starts);
 * more, a redirect to /kpi/exports, where the file is prepared in the background. A filter that
 * cannot be used is a 400 with its field messages; a store that does not exist or is not the
 * account's is a 404, never an empty file; past the account's exports of the hour, a 429.
 */
export async function exportKpis(actor: Actor | null, request: Request, db: Db): Promise<Response> {
  if (!actor) return new Response("Sign in to export KPIs.", { status: 401 });
  const checked = await checkExport(db, actor, Object.fromEntries(new URL(request.url).searchParams));
  if (!checked.ok) {
    if (checked.status === 400) return Response.json({ fieldErrors: checked.fieldErrors }, { status: 400 });
    return new Response(checked.message, {
      status: checked.status,
      headers: { "content-type": "text/plain; charset=utf-8", ...(checked.retryAfterSeconds ? { "retry-after": String(checked.retryAfterSeconds) } : {}) },
    });
  }
  const { filter } = checked;
  try {
    const rows = await countKpiCsvRows(db, actor, filter);
    if (rows > exportLimits().directRows) return new Response(null, { status: 303, headers: { location: `/kpi/exports?${kpiSearchParams(filter)}`, "cache-control": "private, no-store" } });
    const text = await directExport(db, actor, filter, rows);
    return new Response(text, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${kpiCsvFilename(filter)}"`,
        "cache-control": "private, no-store",
      },
    });
  } catch (error) {
    const ref = reportUnexpected("KPI export", error);
    return new Response(`The export failed on our side (reference ${ref}): try again.`, { status: 500, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
}
