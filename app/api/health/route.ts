import { connection } from "@/db/client";
import { readiness } from "@/db/queries/health";
import { logger } from "@/lib/log";

export const dynamic = "force-dynamic";

/**
 * Readiness: 200 when this server can do its work (database reachable within 3 s, migrations
 * current, the orders table writable), else 503. The answer says only which; the reason is in
 * the log. Liveness (the process answers) is /api/health/live.
 */
export async function GET() {
  let result;
  try {
    result = await readiness(await connection());
  } catch (error) {
    result = { ready: false as const, reason: error instanceof Error ? error.message.split("\n")[0] : "no connection" };
  }
  if (result.ready) return Response.json({ status: "ready" }, { headers: { "cache-control": "no-store" } });
  logger.warn({ where: "health", reason: result.reason }, "not ready");
  return Response.json({ status: "unavailable" }, { status: 503, headers: { "cache-control": "no-store" } });
}
