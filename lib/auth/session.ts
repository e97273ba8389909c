import "server-only";
import { cache } from "react";
import type { Session } from "next-auth";
import { cookies, headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { getDb } from "@/db/client";
import type { Actor } from "@/lib/workflow";
import { sessionCookiePattern } from "./config";
import { auth } from "./index";
import { type SessionClaims, sessionActor } from "./live-session";
import { type Grant, can } from "./policy";

/**
 * The signed-in, active account for this request, or null. Roles and stores come from the
 * database, and the session must be live (sessionActor: the account's current version, at most
 * 12 hours old); Auth.js's jwt callback read the same account in this request already.
 */
export const currentActor = cache(async (): Promise<Actor | null> => {
  const claims = await currentClaims();
  return claims && sessionActor(await getDb(), claims);
});

/** What this request's session claims, unchecked (currentActor checks it; a live stream checks it again while open). */
export async function currentClaims(): Promise<SessionClaims | null> {
  const session = await sessionOfCookie();
  if (!session) return null;
  const { sessionVersion, signedInAt } = session as { sessionVersion?: unknown; signedInAt?: unknown };
  return { accountId: session.user?.id, sessionVersion, signedInAt };
}

const SESSION_KEPT_MS = 30_000;
const sessions = new Map<string, { at: number; session: Promise<Session | null> }>();

/**
 * Auth.js's session for this request's cookie, kept up to 30 s per cookie value: reading it
 * decrypts the cookie and encrypts a renewed one (two key derivations), a fifth of a page's server
 * time, on every page. Nothing that ends a session waits for this: the session version, the
 * active flag, roles and stores are read from the database on every request (loadActor,
 * decision 008); a cookie past its expiry is accepted for at most those 30 s.
 */
async function sessionOfCookie(): Promise<Session | null> {
  const key = (await cookies())
    .getAll()
    .filter((c) => sessionCookiePattern.test(c.name))
    .map((c) => `${c.name}=${c.value}`)
    .sort()
    .join(";");
  if (!key) return auth();
  const now = Date.now();
  const kept = sessions.get(key);
  if (kept && now - kept.at < SESSION_KEPT_MS && now >= kept.at) return kept.session;
  const session = auth();
  sessions.delete(key);
  sessions.set(key, { at: now, session });
  session.catch(() => sessions.get(key)?.session === session && sessions.delete(key));
  for (const [k, v] of sessions) {
    if (sessions.size <= 1000 && now - v.at < SESSION_KEPT_MS) break;
    sessions.delete(k);
  }
  return session;
}

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
