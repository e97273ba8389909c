import { getDb } from "@/db/client";
import { currentActor } from "@/lib/auth/session";
import { orderChangesResponse } from "./handler";

export const dynamic = "force-dynamic";

/** What colleagues changed on an order since a version, for the order page's banner (handler.ts). */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return orderChangesResponse(await currentActor(), (await params).id, new URL(request.url).searchParams.get("since"), await getDb());
}
