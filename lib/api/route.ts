import "server-only";
import type { z } from "zod";
import { type Db, getDb } from "@/db/client";
import type { ApiKey } from "@/db/schema";
import { recordAudit } from "@/lib/audit/record";
import { env, uploadLimits } from "@/lib/env";
import { reportUnexpected } from "@/lib/errors";
import { type AfterCommit, type Ctx, fieldErrorsOf } from "@/lib/result";
import { type RateLimit, authenticateApiKey, countRequest } from "./keys";
import { PROBLEM_TYPE, type Problem, fieldErrorsToList, problem } from "./problem";

/**
 * The one wrapper every /api/v1 route handler goes through (decision 019), the API's form of
 * lib/auth/action.ts `runAction`: the key (and the account it acts as, read fresh), the per-key
 * limit, the body (size-limited, JSON or multipart), the path, query and body parsed with their
 * zod schemas (every field error at once), then the handler, which calls the same commands as the
 * pages with the key's account as the actor. The answer is JSON or an RFC 9457 problem; nothing
 * throws out of it. A write that succeeded is in the audit log with the key's name.
 */

/** JSON bodies: far more than any order needs, far less than a memory problem. */
export const JSON_BODY_LIMIT = 64 * 1024;

export type ApiContext = Ctx & { key: ApiKey; request: Request; rate: RateLimit };

export type ApiAnswer =
  | { status: number; body: unknown; headers?: Record<string, string>; audit?: Record<string, unknown> | false }
  | { problem: Problem; headers?: Record<string, string> }
  | { response: Response };

type Responses = Record<number, { description: string; schema?: z.ZodType; contentType?: string | string[] }>;

export type ApiRoute<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType> = {
  method: "GET" | "POST" | "PATCH";
  /** The OpenAPI path under /api/v1, e.g. `/orders/{number}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  /** Changes data: audited, and counted as a write in the fuzz suite. */
  write: boolean;
  params?: P;
  query?: Q;
  body?: B;
  bodyKind?: "json" | "multipart";
  /** Takes an `Idempotency-Key` header. */
  idempotent?: boolean;
  responses: Responses;
  /** A request body for the reference page's curl example. */
  example?: unknown;
  handle: (input: { params: z.output<P>; query: z.output<Q>; body: z.output<B>; raw: unknown }, ctx: ApiContext) => Promise<ApiAnswer>;
};

/** The registry the OpenAPI document, the reference page and the fuzz suite walk (lib/api/routes.ts fills it). */
export function defineRoute<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(route: ApiRoute<P, Q, B>): ApiRoute {
  return route as unknown as ApiRoute;
}

const problemResponse = (p: Problem, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(p), { status: p.status, headers: { "content-type": PROBLEM_TYPE, "cache-control": "no-store", ...headers } });

const rateHeaders = (r: RateLimit): Record<string, string> => ({
  "RateLimit-Limit": String(r.limit),
  "RateLimit-Remaining": String(r.remaining),
  "RateLimit-Reset": String(r.resetSeconds),
  "RateLimit-Policy": `${r.limit};w=60`,
});

class BodyProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.title);
  }
}

/** The body's bytes, never more than `limit` read: a larger body is a 413 whatever its header says. */
async function readBody(request: Request, limit: number): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared && (!/^\d{1,15}$/.test(declared) || Number(declared) > limit)) throw new BodyProblem(problem(413, `Send at most ${limit} bytes`));
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw new BodyProblem(problem(413, `Send at most ${limit} bytes`));
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** The body as the plain value its schema parses: a JSON value, or a multipart form as an object. */
async function parseBody(route: ApiRoute, request: Request): Promise<unknown> {
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  if (route.bodyKind === "multipart") {
    if (!type.startsWith("multipart/form-data")) throw new BodyProblem(problem(415, "Send multipart/form-data with the files as `attachments`"));
    const bytes = await readBody(request, uploadLimits().bodyBytes);
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(bytes), { headers: { "content-type": request.headers.get("content-type")! } }).formData();
    } catch {
      throw new BodyProblem(problem(400, "The multipart body could not be read"));
    }
    const { formObject } = await import("@/lib/forms/form-data");
    return formObject(form);
  }
  if (!type.startsWith("application/json")) throw new BodyProblem(problem(415, "Send application/json"));
  const bytes = await readBody(request, JSON_BODY_LIMIT);
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new BodyProblem(problem(400, "The body is not valid JSON"));
  }
}

/** Path, query and body parsed together, so a request hears of every problem at once. */
function parseInput(route: ApiRoute, rawParams: Record<string, string>, query: URLSearchParams, raw: unknown) {
  const errors: { pointer: string; detail: string }[] = [];
  const one = <S extends z.ZodType>(schema: S | undefined, value: unknown, where: string) => {
    if (!schema) return undefined;
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    errors.push(...fieldErrorsToList(fieldErrorsOf(parsed.error.issues)).map((e) => ({ ...e, pointer: where === "body" ? e.pointer : `${where}:${e.pointer.slice(2) || "query"}` })));
    return undefined;
  };
  const queryObject: Record<string, string> = {};
  for (const [k, v] of query) queryObject[k] ??= v;
  const params = one(route.params, rawParams, "path");
  const q = one(route.query, queryObject, "query");
  const body = one(route.body, raw, "body");
  return { errors, input: { params, query: q, body, raw } };
}

export type RunOptions = { db: Db; now?: Date; afterCommit?: AfterCommit };

/** Runs one API request through the route: never throws, always an answer. */
export async function runApiRoute(route: ApiRoute, request: Request, rawParams: Record<string, string>, options: RunOptions): Promise<Response> {
  const now = options.now ?? new Date();
  let headers: Record<string, string> = {};
  try {
    const auth = await authenticateApiKey(options.db, request.headers.get("authorization"), now);
    if (!auth.ok) {
      const detail = {
        missing: "Send `Authorization: Bearer ml_live_…` with an API key",
        invalid: "This API key is not valid",
        expired: "This API key has expired",
        revoked: "This API key was revoked",
        inactive: "The account of this API key is deactivated",
      }[auth.reason];
      return problemResponse(problem(401, detail), { "WWW-Authenticate": 'Bearer realm="makeline"' });
    }
    const { key, actor } = auth;
    const rate = await countRequest(options.db, key.id, key.rateLimitPerMinute ?? env().MAKELINE_API_RATE_LIMIT, now);
    headers = rateHeaders(rate);
    if (!rate.allowed) return problemResponse(problem(429, `This key may make ${rate.limit} requests a minute: try again in ${rate.resetSeconds} s`), { ...headers, "Retry-After": String(rate.resetSeconds) });

    let raw: unknown;
    if (route.body) {
      try {
        raw = await parseBody(route, request);
      } catch (error) {
        if (error instanceof BodyProblem) return problemResponse(error.problem, headers);
        throw error;
      }
    }
    const url = new URL(request.url);
    const { errors, input } = parseInput(route, rawParams, url.searchParams, raw);
    if (errors.length) return problemResponse(problem(422, "Check the highlighted values", { errors }), headers);

    const ctx: ApiContext = { db: options.db, actor, now: options.now, afterCommit: options.afterCommit, key, request, rate };
    const answer = await route.handle(input as never, ctx);
    if ("response" in answer) return answer.response;
    if ("problem" in answer) return problemResponse(answer.problem, { ...headers, ...answer.headers });
    if (route.write && answer.status < 300 && answer.audit !== false) {
      await recordAudit(options.db, {
        kind: "apiWrite",
        actorId: actor.id,
        accountId: actor.id,
        after: { key: key.name, keyId: key.id, prefix: key.prefix, method: route.method, path: url.pathname, status: answer.status, ...answer.audit },
        at: now,
      });
    }
    return new Response(answer.status === 204 ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: { "content-type": "application/json", "cache-control": "no-store", ...headers, ...answer.headers },
    });
  } catch (error) {
    const reference = reportUnexpected(`API ${route.method} ${route.path}`, error);
    return problemResponse(problem(500, `Something went wrong on our side (reference ${reference}). Nothing was saved unless the order's version changed: read it again before retrying.`, { reference }), headers);
  }
}

/** The Next.js handler of a route: the request's database, after-commit work after the response. */
export function serve(route: ApiRoute) {
  return async (request: Request, context?: { params?: Promise<Record<string, string | string[]>> }) => {
    const db = await getDb();
    const { after } = await import("next/server");
    // A route without dynamic segments (/me, /stores) is handed no params.
    const raw = (await context?.params) ?? {};
    const params = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v.join("/") : v]));
    return runApiRoute(route, request, params, { db, afterCommit: (task) => after(() => task(db)) });
  };
}

