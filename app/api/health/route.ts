import { connection } from "@/db/client";
import { migrationStatus } from "@/db/queries/health";

export const dynamic = "force-dynamic";

/** Liveness and schema state: which driver, and whether every committed migration is applied. */
export async function GET() {
  try {
    const conn = await connection();
    const status = await migrationStatus(conn.db);
    return Response.json({ ok: true, driver: conn.driver, migrations: status });
  } catch (error) {
    console.error("health check failed", error);
    return Response.json({ ok: false, error: "database unavailable" }, { status: 503 });
  }
}
