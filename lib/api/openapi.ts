import "server-only";
import { z } from "zod";
import { createDocument } from "zod-openapi";
import type { ApiRoute } from "./route";
import { apiRoutes } from "./routes";
import { problem } from "./problem";
import { problemSchema, uploadBody } from "./schemas";

/**
 * The OpenAPI 3.1 document, generated from the registry's zod schemas (the commands' own inputs
 * and the answers' shapes), never written by hand (STYLE 19). Served at /api/v1/openapi.json.
 */

/** The route's own answers, and the problems the wrapper (lib/api/route.ts) can give any route like it. */
export function responsesOf(route: ApiRoute): ApiRoute["responses"] {
  const statuses = [401, 429, 500, ...(route.body ? [400, 413, 415, 422] : []), ...(route.params || route.query ? [422] : [])];
  const common = Object.fromEntries(statuses.map((s) => [s, { description: problem(s).title, schema: problemSchema, contentType: "application/problem+json" }]));
  return { ...common, ...route.responses };
}

function operation(route: ApiRoute) {
  const header = route.idempotent ? z.object({ "Idempotency-Key": z.string().max(255).optional().meta({ description: "Makes a retry of this create safe" }) }) : undefined;
  const requestParams = {
    ...(route.params ? { path: route.params as z.ZodObject } : {}),
    ...(route.query ? { query: route.query as z.ZodObject } : {}),
    ...(header ? { header } : {}),
  };
  const body = route.bodyKind === "multipart" ? { "multipart/form-data": { schema: uploadBody } } : route.body ? { "application/json": { schema: route.body } } : null;
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    ...(Object.keys(requestParams).length ? { requestParams } : {}),
    ...(body ? { requestBody: { required: true, content: body } } : {}),
    responses: Object.fromEntries(
      Object.entries(responsesOf(route)).map(([status, r]) => [
        status,
        {
          description: r.description,
          content: Object.fromEntries([r.contentType ?? "application/json"].flat().map((type) => [type, { schema: r.schema ?? { type: "string", format: "binary" } }])),
        },
      ]),
    ),
  };
}

let cached: ReturnType<typeof createDocument> | undefined;

export function openApiDocument() {
  if (cached) return cached;
  const paths: Record<string, Record<string, ReturnType<typeof operation>>> = {};
  for (const route of apiRoutes) (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route);
  cached = createDocument(
    {
      openapi: "3.1.0",
      info: {
        title: "Makeline API",
        version: "1.0.0",
        description:
          "Orders, stores and the calling account, for the shop's other systems. A key acts as its account: it can do exactly what that account can do in the app. Errors are RFC 9457 problem details (`application/problem+json`) with every field error. Each key has a limit per minute (429 with `Retry-After` and `RateLimit-*` headers).",
      },
      servers: [{ url: "/api/v1" }],
      security: [{ apiKey: [] }],
      components: { securitySchemes: { apiKey: { type: "http", scheme: "bearer", description: "An API key (`ml_live_…`) made by an administrator under Admin → API keys" } } },
      paths: paths as never,
    },
    { allowEmptySchema: { unknown: true, pipe: true, transform: true } as never },
  );
  // The list's filters all have defaults (an unusable value is ignored, as on the page): none is required.
  for (const methods of Object.values(cached.paths ?? {})) {
    for (const op of Object.values(methods as Record<string, { parameters?: { in: string; required?: boolean }[] }>)) {
      for (const p of op.parameters ?? []) if (p.in === "query") p.required = false;
    }
  }
  return cached;
}
