import { timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";

/**
 * The one secret check for cron routes: `Authorization: Bearer <CRON_SECRET>`, compared in
 * constant time. Fails closed: with no secret configured nothing is authorised.
 */
export function cronAuthorized(authorization: string | null, secret: string | undefined): boolean {
  if (!secret || !authorization) return false;
  const given = Buffer.from(authorization);
  const expected = Buffer.from(`Bearer ${secret}`);
  // timingSafeEqual needs equal lengths; comparing the expected value with itself keeps the
  // time the same when they differ.
  const same = given.length === expected.length;
  return timingSafeEqual(same ? given : expected, expected) && same;
}

/** Null when the request may run the job; otherwise the response to send (401, or 503 unconfigured). */
export function cronAuthFailure(request: Request): Response | null {
  const secret = env().CRON_SECRET;
  if (!secret) return Response.json({ error: "CRON_SECRET is not set: cron routes are disabled" }, { status: 503 });
  if (!cronAuthorized(request.headers.get("authorization"), secret)) {
    return Response.json({ error: "unauthorized" }, { status: 401, headers: { "WWW-Authenticate": "Bearer" } });
  }
  return null;
}
