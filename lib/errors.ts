import { randomBytes } from "node:crypto";
import { currentRequestId, logger } from "@/lib/log";

/**
 * The one way an unexpected error is logged (a JSON line, lib/log.ts): a short reference (shown to
 * the person, so a report can be matched to the log line), where it happened, the request id,
 * and what failed, but never the values
 * involved. A failed query's message carries the order's content in its parameters
 * (drizzle's "Failed query: …\nparams: …"), and PostgreSQL's detail quotes the rejected value;
 * both stay out of the log.
 */
export function reportUnexpected(where: string, error: unknown): string {
  const ref = randomBytes(4).toString("hex");
  logger.error({ where, ref, requestId: currentRequestId(), error: describeError(error) }, `${where} failed (ref ${ref})`);
  return ref;
}

/** An error Next.js reports for a request (instrumentation.ts onRequestError): where, never the query string or body. */
export function reportRequestError(error: unknown, request: { method: string; path: string; requestId?: string; routeType?: string }): string {
  const ref = randomBytes(4).toString("hex");
  const path = request.path.split("?")[0].slice(0, 200);
  logger.error({ where: "request", ref, requestId: request.requestId, method: request.method, path, routeType: request.routeType, error: describeError(error) }, "request failed");
  return ref;
}

type DbError = { code?: unknown; message?: unknown; constraint?: unknown; constraint_name?: unknown; table?: unknown; table_name?: unknown };

/** Name, database code and first line of the message of the error and its causes, with their stack frames. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth++) {
    if (!(current instanceof Error)) {
      parts.push(typeof current);
      break;
    }
    const e = current as Error & DbError & { query?: unknown };
    const isQueryError = typeof e.query === "string" && e.cause !== undefined;
    // A query error's message holds the parameters: say only which statement failed.
    const message = isQueryError ? `query failed: ${String(e.query).slice(0, 200)}` : String(e.message).split("\n")[0].slice(0, 300);
    const code = typeof e.code === "string" ? ` [${e.code}]` : "";
    const constraint = e.constraint_name ?? e.constraint;
    parts.push(`${e.name}${code}: ${message}${typeof constraint === "string" ? ` (constraint ${constraint})` : ""}`);
    current = e.cause;
  }
  const frames = error instanceof Error && error.stack ? error.stack.split("\n").filter((l) => /^\s+at /.test(l)).slice(0, 8) : [];
  return [parts.join(" ← caused by "), ...frames].join("\n");
}

/** Is this (or what caused it) PostgreSQL's unique violation on the named constraint or index? */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  for (let e = error as (DbError & { cause?: unknown }) | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (e.code === "23505" && (e.constraint_name ?? e.constraint) === constraint) return true;
  }
  return false;
}
