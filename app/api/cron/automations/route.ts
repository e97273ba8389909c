// Schedule: every 5 minutes ("*/5 * * * *" in vercel.json). Each call processes everything
// outstanding, so a skipped run is caught up by the next and a doubled one creates nothing twice.
import { getDb } from "@/db/client";
import { cronAuthFailure } from "@/lib/automation/cron-auth";
import { runAutomations } from "@/lib/automation/runner";

export const dynamic = "force-dynamic";
export const maxDuration = 60;

/** Evaluates the time rules and sends due emails; answers with the pass's counts. */
export async function GET(request: Request) {
  const denied = cronAuthFailure(request);
  if (denied) return denied;
  try {
    const summary = await runAutomations({ db: await getDb() });
    return Response.json(summary);
  } catch (error) {
    console.error("automation pass failed", error);
    return Response.json({ error: "automation pass failed" }, { status: 500 });
  }
}

/**
 * HEAD would otherwise run GET (Next.js answers it with the GET handler): a probe or a link
 * checker must never start a pass. The job runs on GET only.
 */
export function HEAD() {
  return new Response(null, { status: 405, headers: { Allow: "GET" } });
}
