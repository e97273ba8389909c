import "server-only";
import { env } from "@/lib/env";
import { webhookEventTypes } from "@/lib/webhooks/event-types";
import { openApiDocument, responsesOf } from "./openapi";
import { problem } from "./problem";
import type { ApiRoute } from "./route";
import { apiRoutes } from "./routes";

/** What the reference page (/api/v1/reference) shows, taken from the registry and the generated document. */

export function curlExample(route: ApiRoute, base = env().APP_URL.replace(/\/$/, "")): string {
  const path = route.path.replace("{number}", "MO-00042").replace("{key}", "storeOrder.attachReferences").replace("{attachmentId}", "7");
  const query = route.path === "/orders" && route.method === "GET" ? "?view=queue&stage=inProduction" : "";
  const lines = [`curl -sS -X ${route.method} '${base}/api/v1${path}${query}'`, `  -H "Authorization: Bearer $MAKELINE_API_KEY"`];
  if (route.idempotent) lines.push(`  -H "Idempotency-Key: $(uuidgen)"`);
  if (route.bodyKind === "multipart") lines.push(`  -F version=3`, `  -F attachments=@drawing.pdf`);
  else if (route.body) lines.push(`  -H "Content-Type: application/json"`, `  -d '${JSON.stringify(route.example ?? {})}'`);
  return lines.join(" \\\n");
}

export function referenceSections() {
  const doc = openApiDocument() as unknown as { paths: Record<string, Record<string, { requestParams?: unknown; parameters?: { name: string; in: string; description?: string }[] }>> };
  return apiRoutes.map((route) => {
    const op = doc.paths[route.path][route.method.toLowerCase()];
    return {
      id: route.operationId,
      method: route.method,
      path: `/api/v1${route.path}`,
      summary: route.summary,
      description: route.description ?? "",
      parameters: (op.parameters ?? []).map((p) => ({ name: p.name, in: p.in, description: p.description ?? "" })),
      example: route.example === undefined ? null : JSON.stringify(route.example, null, 2),
      curl: curlExample(route),
      statuses: Object.entries(responsesOf(route)).map(([status, r]) => ({ status: Number(status), description: r.description })),
    };
  });
}

export const problemKinds = [400, 401, 403, 404, 409, 413, 415, 422, 429, 500].map((s) => {
  const p = problem(s);
  return { status: s, anchor: p.type.split("#")[1], title: p.title };
});

export const webhookEvents = Object.entries(webhookEventTypes).map(([type, meaning]) => ({ type, meaning }));
