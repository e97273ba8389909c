import { randomUUID } from "node:crypto";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the fake received. */
export type FakeRequest = { idempotencyKey: string | null; authorization: string | null; body: { to?: string | string[]; subject?: string; html?: string } };

const errorNames: Record<number, string> = {
  422: "validation_error",
  429: "rate_limit_exceeded",
  500: "internal_server_error",
  503: "internal_server_error",
};

/**
 * A stand-in for Resend's POST /emails on 127.0.0.1. It answers with the scripted statuses in
 * order, then 200, and keeps every request. Like the real API, a repeated Idempotency-Key that
 * already succeeded gets the first answer back instead of a second email.
 */
export async function startFakeResend() {
  const requests: FakeRequest[] = [];
  const script: number[] = [];
  const delivered = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const idempotencyKey = (req.headers["idempotency-key"] as string | undefined) ?? null;
      requests.push({ idempotencyKey, authorization: req.headers.authorization ?? null, body: raw ? JSON.parse(raw) : {} });
      res.setHeader("content-type", "application/json");
      if (req.method !== "POST" || req.url !== "/emails") {
        res.statusCode = 404;
        res.end(JSON.stringify({ statusCode: 404, name: "not_found", message: "Not found" }));
        return;
      }
      const status = script.shift() ?? 200;
      if (status !== 200) {
        res.statusCode = status;
        if (status === 429) res.setHeader("retry-after", "1");
        res.end(JSON.stringify({ statusCode: status, name: errorNames[status] ?? "application_error", message: `scripted ${status}` }));
        return;
      }
      const id = (idempotencyKey && delivered.get(idempotencyKey)) || randomUUID();
      if (idempotencyKey) delivered.set(idempotencyKey, id);
      res.end(JSON.stringify({ id }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    /** The next answers, e.g. [500, 429] then 200 for everything after. */
    respondWith: (...statuses: number[]) => script.push(...statuses),
    reset: () => {
      requests.length = 0;
      script.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
