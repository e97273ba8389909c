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

export type FakeResendOptions = {
  /** Each answer comes this long after the request (a range: uniformly in between). */
  latencyMs?: number | [number, number];
  /** Like Resend's rate limit: past this many requests in a second, 429 with Retry-After. */
  perSecond?: number;
  /** The Retry-After header of a 429, in seconds. */
  retryAfterSeconds?: number;
};

/**
 * A stand-in for Resend's POST /emails on 127.0.0.1. It answers with the scripted statuses in
 * order, then 200, and keeps every request. Like the real API, a repeated Idempotency-Key that
 * already succeeded gets the first answer back instead of a second email. Optionally it answers
 * after a latency and limits requests per second as Resend does (429 with Retry-After).
 */
export async function startFakeResend(options: FakeResendOptions = {}) {
  const requests: FakeRequest[] = [];
  const script: number[] = [];
  const delivered = new Map<string, string>();
  const stats = { rateLimited: 0, duplicates: 0 };
  const [minLatency, maxLatency] = Array.isArray(options.latencyMs) ? options.latencyMs : [options.latencyMs ?? 0, options.latencyMs ?? 0];
  const retryAfter = String(options.retryAfterSeconds ?? 1);
  let windowStart = 0;
  let inWindow = 0;
  const overLimit = () => {
    if (!options.perSecond) return false;
    const t = Date.now();
    if (t - windowStart >= 1000) {
      windowStart = t;
      inWindow = 0;
    }
    return ++inWindow > options.perSecond;
  };
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const delay = minLatency + Math.random() * (maxLatency - minLatency);
      if (delay > 0) setTimeout(answer, delay);
      else answer();
    });
    function answer() {
      const idempotencyKey = (req.headers["idempotency-key"] as string | undefined) ?? null;
      requests.push({ idempotencyKey, authorization: req.headers.authorization ?? null, body: raw ? JSON.parse(raw) : {} });
      res.setHeader("content-type", "application/json");
      if (req.method !== "POST" || req.url !== "/emails") {
        res.statusCode = 404;
        res.end(JSON.stringify({ statusCode: 404, name: "not_found", message: "Not found" }));
        return;
      }
      const status = script.shift() ?? (overLimit() ? 429 : 200);
      if (status !== 200) {
        res.statusCode = status;
        if (status === 429) {
          stats.rateLimited++;
          res.setHeader("retry-after", retryAfter);
        }
        res.end(JSON.stringify({ statusCode: status, name: errorNames[status] ?? "application_error", message: `scripted ${status}` }));
        return;
      }
      const earlier = idempotencyKey ? delivered.get(idempotencyKey) : undefined;
      if (earlier) stats.duplicates++;
      const id = earlier ?? randomUUID();
      if (idempotencyKey) delivered.set(idempotencyKey, id);
      res.end(JSON.stringify({ id }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    /** Emails delivered (distinct idempotency keys answered 200), 429s answered, repeated keys dropped. */
    delivered: () => delivered.size,
    stats,
    /** The next answers, e.g. [500, 429] then 200 for everything after. */
    respondWith: (...statuses: number[]) => script.push(...statuses),
    reset: () => {
      requests.length = 0;
      script.length = 0;
      delivered.clear();
      stats.rateLimited = 0;
      stats.duplicates = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
