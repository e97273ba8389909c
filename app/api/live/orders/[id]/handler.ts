import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { orderEventsSince } from "@/db/queries/live";
import { orders } from "@/db/schema";
import { can } from "@/lib/auth/policy";
import { summariseChanges } from "@/lib/live/changes";
import { type Actor, idSchema } from "@/lib/workflow";

const noStore = { "cache-control": "no-store" };
const notFound = () => Response.json({ error: "Order not found" }, { status: 404, headers: noStore });

/**
 * The order's current version and one line per colleague for what changed after `since`, to
 * whoever may read the order; 404 to everyone else, as the order page answers.
 */
export async function orderChangesResponse(actor: Actor | null, id: string, since: string | null, db: Db): Promise<Response> {
  if (!actor) return Response.json({ error: "Sign in" }, { status: 401, headers: noStore });
  const orderId = idSchema.safeParse(id);
  const version = idSchema.safeParse(since);
  if (!orderId.success) return notFound();
  const [order] = await db.select({ storeId: orders.storeId, stage: orders.stage, state: orders.state, version: orders.version }).from(orders).where(eq(orders.id, orderId.data));
  if (!order || !can.order(actor, "readOrder", order)) return notFound();
  if (!version.success) return Response.json({ error: "since must be a version number" }, { status: 400, headers: noStore });
  const events = await orderEventsSince(db, orderId.data, version.data);
  return Response.json({ version: order.version, changes: summariseChanges(events, actor.timeZone) }, { headers: noStore });
}
