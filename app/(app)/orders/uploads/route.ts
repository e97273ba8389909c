import { getDb } from "@/db/client";
import { currentActor } from "@/lib/auth/session";
import { prepareUploadRoute } from "./handler";

export const dynamic = "force-dynamic";

/** POST /orders/uploads: see prepareUploadRoute. */
export async function POST(request: Request) {
  return prepareUploadRoute(await currentActor(), request, await getDb());
}
