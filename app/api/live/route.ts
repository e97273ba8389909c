import { getDb } from "@/db/client";
import { sessionActorNow } from "@/lib/auth/live-session";
import { currentActor, currentClaims } from "@/lib/auth/session";
import { liveMode } from "@/lib/env";
import { liveResponse } from "./handler";

export const dynamic = "force-dynamic";

/** Live pages' change stream, or one poll of it (handler.ts, decision 026). */
export async function GET(request: Request) {
  const [actor, claims, db] = await Promise.all([currentActor(), currentClaims(), getDb()]);
  return liveResponse(actor, {
    db,
    mode: liveMode(),
    lastEventId: request.headers.get("last-event-id"),
    signal: request.signal,
    recheck: () => (claims ? sessionActorNow(db, claims) : Promise.resolve(null)),
  });
}
