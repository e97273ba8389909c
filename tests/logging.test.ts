import { afterEach, expect, test, vi } from "vitest";

// A Next.js server provides AsyncLocalStorage globally before its request storage is made.
vi.hoisted(() => {
  const hooks = process.getBuiltinModule("node:async_hooks") as typeof import("node:async_hooks");
  (globalThis as { AsyncLocalStorage?: unknown }).AsyncLocalStorage ??= hooks.AsyncLocalStorage;
});

import { workUnitAsyncStorage } from "next/dist/server/app-render/work-unit-async-storage.external";
import { onRequestError } from "@/instrumentation";
import { reportUnexpected } from "@/lib/errors";
import { createLogger, logger } from "@/lib/log";

/**
 * Log lines as an operator reads them: one JSON object per unexpected error, with where, a
 * reference, the request id, and never the content of the request or the failed query.
 */
afterEach(() => vi.restoreAllMocks());

/** A failed query as drizzle throws it: the statement, its parameters (an order's content), the cause. */
function failedQuery() {
  const cause = Object.assign(new Error('duplicate key value violates unique constraint "orders_submission_token_key"'), { code: "23505", detail: "Key (x)=(Oak shelf for Mrs Smith) already exists." });
  return Object.assign(new Error("Failed query: insert into orders (fields) values ($1)\nparams: Oak shelf for Mrs Smith"), { query: "insert into orders (fields) values ($1)", params: ["Oak shelf for Mrs Smith"], cause });
}

test("onRequestError (instrumentation.ts): one line with a reference, the request id and the path, without the query string or the values", async () => {
  const lines = vi.spyOn(logger, "error").mockImplementation(() => {});
  vi.stubEnv("NEXT_RUNTIME", "nodejs");
  await onRequestError(failedQuery(), { path: "/orders?q=Mrs+Smith", method: "GET", headers: { "x-request-id": "req-1234abcd" } }, { routerKind: "App Router", routePath: "/orders", routeType: "render", renderSource: "react-server-components", revalidateReason: undefined });
  vi.unstubAllEnvs();
  expect(lines).toHaveBeenCalledOnce();
  const [line] = lines.mock.calls[0] as unknown as [Record<string, string>];
  expect(line).toMatchObject({ where: "request", requestId: "req-1234abcd", method: "GET", path: "/orders", routeType: "render" });
  expect(line.ref).toMatch(/^[0-9a-f]{8}$/);
  expect(line.error).toMatch(/query failed: insert into orders/);
  expect(JSON.stringify(lines.mock.calls[0])).not.toMatch(/Mrs|Smith|Oak shelf/);
});

test("reportUnexpected inside a request takes the request's id from Next's request storage, at once", () => {
  const lines = vi.spyOn(logger, "error").mockImplementation(() => {});
  const store = { type: "request", headers: new Headers({ "x-request-id": "req-5678efgh" }) };
  const ref = workUnitAsyncStorage.run(store as never, () => reportUnexpected("server action", failedQuery()));
  expect(lines).toHaveBeenCalledOnce();
  expect(lines.mock.calls[0][0]).toMatchObject({ where: "server action", ref, requestId: "req-5678efgh" });
  expect(JSON.stringify(lines.mock.calls[0])).not.toMatch(/Mrs|Smith|Oak shelf/);
});

test("the logger writes JSON lines with a level and a time", () => {
  const written: string[] = [];
  const log = createLogger({ write: (chunk: string) => void written.push(chunk) });
  log.warn({ where: "test" }, "a warning");
  const line = JSON.parse(written.join("").trim());
  expect(line).toMatchObject({ level: "warn", where: "test", msg: "a warning", service: "makeline" });
  expect(new Date(line.time).getTime()).not.toBeNaN();
});
