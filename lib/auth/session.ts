import "server-only";
import { cache } from "react";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { getDb } from "@/db/client";
import type { Actor } from "@/lib/workflow";
import { loadActor } from "./actor";
import { auth } from "./index";
import { type Grant, can } from "./policy";

/**
 * The signed-in, active account for this request, or null. Roles and stores come from the
 * database, and the session must be of the account's current version (see loadActor).
 */
export const currentActor = cache(async (): Promise<Actor | null> => {
  const session = await auth();
  const id = Number(session?.user?.id);
  if (!Number.isInteger(id) || id <= 0) return null;
  return loadActor(await getDb(), id, { version: (session as { sessionVersion?: unknown }).sessionVersion });
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
