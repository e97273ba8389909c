export const dynamic = "force-dynamic";

/** Liveness: the process answers. It reads nothing, so a slow database never makes it restart the server. */
export function GET() {
  return Response.json({ status: "live" }, { headers: { "cache-control": "no-store" } });
}
