import { openApiDocument } from "@/lib/api/openapi";

/** The OpenAPI 3.1 document, generated from the API's zod schemas (lib/api/openapi.ts); public, like any API's reference. */
export function GET() {
  return Response.json(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } });
}
