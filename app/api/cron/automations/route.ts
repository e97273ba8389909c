// Schedule: every 5 minutes ("*/5 * * * *" in vercel.json). Each call processes everything
// outstanding, so a skipped run is caught up by the next and a doubled one creates nothing twice.
import { getDb } from "@/db/client";
import { cronAuthFailure } from "@/lib/automation/cron-auth";
import { runAutomations } from "@/lib/automation/runner";
import { reportUnexpected } from "@/lib/errors";
import { logger } from "@/lib/log";

export const dynamic = "force-dynamic";
export const maxDuration = 60;

/** Evaluates the time rules and sends due emails; answers with the pass's counts. */
export async function GET(request: Request) {
  const denied = cronAuthFailure(request);
  if (denied) return denied;
  try {
    const summary = await runAutomations({ db: await getDb() });
    logger.info({ where: "cron", ...summary }, "automation pass");
    return Response.json(summary);
  } catch (error) {
    const ref = reportUnexpected("cron automation pass", error);
    return Response.json({ error: "automation pass failed", ref }, { status: 500 });
  }
}

/**
 * HEAD would otherwise run GET (Next.js answers it with the GET handler): a probe or a link
 * checker must never start a pass. The job runs on GET only.
 */
export function HEAD() {
  return new Response(null, { status: 405, headers: { Allow: "GET" } });
}
