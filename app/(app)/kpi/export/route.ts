import { getDb } from "@/db/client";
import { currentActor } from "@/lib/auth/session";
import { exportKpis } from "./handler";

export const dynamic = "force-dynamic";

/** GET /kpi/export?period=…&store=…: see exportKpis. */
export async function GET(request: Request) {
  return exportKpis(await currentActor(), request, await getDb());
}
