import "server-only";
import { cache } from "react";
import type { Executor } from "@/db/client";
import type { Actor } from "@/lib/workflow";
import { loadActor } from "./actor";
import { SESSION_MAX_AGE_S } from "./config";

/** What a session's token carries (config.ts: accountId, sessionVersion, signedInAt), as read back: anything, until checked. */
export type SessionClaims = Record<string, unknown>;

/**
 * The account behind a session, or null when the session has ended: no such active account, an
 * older session version (decision 008), or a sign-in more than 12 hours ago (Auth.js re-signs
 * the cookie with a fresh expiry each time it reads it; the sign-in time does not move). Every
 * reader of a session goes through here: Auth.js's own endpoints (the jwt callback and
 * events.signOut, lib/auth/index.ts) and the app's pages and actions (currentActor).
 */
export async function sessionActor(db: Executor, claims: SessionClaims, now = Date.now()): Promise<Actor | null> {
  const id = liveAccountId(claims, now);
  return id ? actorOnce(db, id, claims.sessionVersion) : null;
}

/** The same answer read afresh, for a response that stays open (a live page's stream) and asks again. */
export async function sessionActorNow(db: Executor, claims: SessionClaims, now = Date.now()): Promise<Actor | null> {
  const id = liveAccountId(claims, now);
  return id ? loadActor(db, id, { version: claims.sessionVersion }) : null;
}

function liveAccountId(claims: SessionClaims, now: number): number | null {
  const id = Number(claims.accountId);
  if (!Number.isInteger(id) || id <= 0) return null;
  const signedInAt = claims.signedInAt;
  // A minute of leeway for another server's clock.
  if (typeof signedInAt !== "number" || signedInAt > now + 60_000 || now - signedInAt > SESSION_MAX_AGE_S * 1000) return null;
  return id;
}

/** Once per request: the jwt callback and currentActor read the same account in one render. */
const actorOnce = cache((db: Executor, id: number, version: unknown) => loadActor(db, id, { version }));
