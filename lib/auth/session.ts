import "server-only";
import { cache } from "react";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { getDb } from "@/db/client";
import type { Actor } from "@/lib/workflow";
import { auth } from "./index";
import { sessionActor } from "./live-session";
import { type Grant, can } from "./policy";

/**
 * The signed-in, active account for this request, or null. Roles and stores come from the
 * database, and the session must be live (sessionActor: the account's current version, at most
 * 12 hours old); Auth.js's jwt callback read the same account in this request already.
 */
export const currentActor = cache(async (): Promise<Actor | null> => {
  const session = await auth();
  if (!session) return null;
  const { sessionVersion, signedInAt } = session as { sessionVersion?: unknown; signedInAt?: unknown };
  return sessionActor(await getDb(), { accountId: session.user?.id, sessionVersion, signedInAt });
});

/** For pages: the actor, or a redirect to sign-in that comes back here. */
export async function requireActor(): Promise<Actor> {
  const actor = await currentActor();
  if (actor) return actor;
  const h = await headers();
  const back = h.get("x-makeline-path") ?? "/orders";
  redirect(`/sign-in?callbackUrl=${encodeURIComponent(back)}`);
}

/** For pages: the actor when the grant holds; a not-found page otherwise. */
export async function requireGrant(grant: Grant): Promise<Actor> {
  const actor = await requireActor();
  if (!can[grant](actor)) notFound();
  return actor;
}
