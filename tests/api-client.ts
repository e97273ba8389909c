import Ajv2020 from "ajv/dist/2020";
import { expect } from "vitest";
import type { Db } from "@/db/client";
import { openApiDocument } from "@/lib/api/openapi";
import { type ApiRoute, runApiRoute } from "@/lib/api/route";
import { apiRoutes } from "@/lib/api/routes";
import type { AfterCommit } from "@/lib/result";

/**
 * A `curl`-like client for the API's tests, without a server: it finds the route in the registry
 * as Next.js would, runs it through the one wrapper, and checks every answer against the OpenAPI
 * document (the contract test): a status the document does not list, a content type it does not
 * say, or a body its schema refuses fails the test that got it.
 */

export type ApiAnswer = { status: number; headers: Headers; json: unknown; text: string; route: ApiRoute };

const doc = openApiDocument() as unknown as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>> };
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema({ ...(doc as object), $id: "https://makeline.invalid/openapi.json" });
const validators = new Map<string, ReturnType<typeof ajv.compile>>();
export const contract = { checked: 0 };

function routeFor(method: string, pathname: string): { route: ApiRoute; params: Record<string, string> } | null {
  const path = pathname.replace(/^\/api\/v1/, "");
  for (const route of apiRoutes) {
    if (route.method !== method) continue;
    const names: string[] = [];
    const pattern = new RegExp(`^${route.path.replace(/\{(\w+)\}/g, (_m, name: string) => (names.push(name), "([^/]+)"))}$`);
    const m = pattern.exec(path);
    if (m) return { route, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1])])) };
  }
  return null;
}

const escape = (s: string) => encodeURIComponent(s.replaceAll("~", "~0").replaceAll("/", "~1"));

/** The contract: the answer's status, content type and body as the document says them. */
export function checkContract(route: ApiRoute, status: number, contentType: string, json: unknown) {
  const op = doc.paths[route.path]?.[route.method.toLowerCase()];
  expect(op, `${route.method} ${route.path} is in the OpenAPI document`).toBeDefined();
  const response = op.responses[String(status)];
  expect(response, `${route.method} ${route.path} documents status ${status}`).toBeDefined();
  const type = contentType.split(";")[0].trim();
  expect(Object.keys(response.content!), `${route.method} ${route.path} ${status} content type`).toContain(type);
  if (!type.includes("json")) return;
  const ref = `https://makeline.invalid/openapi.json#/paths/${escape(route.path)}/${route.method.toLowerCase()}/responses/${status}/content/${escape(type)}/schema`;
  let validate = validators.get(ref);
  if (!validate) validators.set(ref, (validate = ajv.compile({ $ref: ref })));
  const ok = validate(json);
  expect(ok, `${route.method} ${route.path} ${status} matches the document: ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(true);
  contract.checked++;
}

export type CallOptions = { key?: string | null; body?: unknown; raw?: string | FormData; headers?: Record<string, string>; contentType?: string };

export function apiClient(db: Db, options: { now?: () => Date; afterCommit?: AfterCommit } = {}) {
  return async function call(method: "GET" | "POST" | "PATCH", path: string, { key, body, raw, headers = {}, contentType }: CallOptions = {}): Promise<ApiAnswer> {
    const url = new URL(path, "http://makeline.test/api/v1/");
    const full = url.pathname.startsWith("/api/v1") ? url : new URL(`/api/v1${path}`, "http://makeline.test");
    const found = routeFor(method, full.pathname);
    if (!found) throw new Error(`no route for ${method} ${full.pathname}`);
    const init: RequestInit = { method, headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers } };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)["content-type"] = contentType ?? "application/json";
    } else if (raw !== undefined) {
      init.body = raw;
      if (contentType) (init.headers as Record<string, string>)["content-type"] = contentType;
    }
    const response = await runApiRoute(found.route, new Request(full, init), found.params, { db, now: options.now?.(), afterCommit: options.afterCommit });
    const text = await response.text();
    const type = response.headers.get("content-type") ?? "";
    const json = type.includes("json") && text ? JSON.parse(text) : null;
    checkContract(found.route, response.status, type, json);
    return { status: response.status, headers: response.headers, json, text, route: found.route };
  };
}
