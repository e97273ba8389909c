import { createHash, randomUUID } from "node:crypto";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the fake received. */
export type FakeRequest = { idempotencyKey: string | null; authorization: string | null; body: { to?: string | string[]; subject?: string; html?: string; text?: string } };

/** An email the fake accepted (the first 200 for its idempotency key), as it was sent. */
export type FakeDelivery = { idempotencyKey: string | null; id: string; body: FakeRequest["body"] };

const errorNames: Record<number, string> = {
  422: "validation_error",
  429: "rate_limit_exceeded",
  500: "internal_server_error",
  503: "internal_server_error",
};

/** A scripted answer: a status (with Resend's usual error body), or a status with a body of its own. */
export type ScriptedAnswer = number | { status: number; body: unknown };

export type FakeResendOptions = {
  /** Each answer comes this long after the request (a range: uniformly in between). */
  latencyMs?: number | [number, number];
  /**
   * Like Resend's rate limit: past this many requests in a second, 429 with Retry-After. Every
   * answer then carries Resend's rate-limit headers (ratelimit-limit, ratelimit-remaining,
   * ratelimit-reset, in seconds).
   */
  perSecond?: number;
  /** The Retry-After header of a 429, in seconds. */
  retryAfterSeconds?: number;
  /** false: no ratelimit-* headers (a provider that does not say its limit until a 429). */
  rateLimitHeaders?: boolean;
};

const digest = (body: string) => createHash("sha256").update(body).digest("hex");

/**
 * A stand-in for Resend's POST /emails on 127.0.0.1. It answers with the scripted answers in
 * order, then 200, and keeps every request. Like the real API, a repeated Idempotency-Key that
 * already succeeded gets the first answer back instead of a second email, and the same key with
 * a different payload is refused with 409 invalid_idempotent_request. Optionally it answers
 * after a latency and limits requests per second as Resend does (429 with Retry-After, and the
 * rate-limit headers on every answer).
 */
export async function startFakeResend(options: FakeResendOptions = {}) {
  const requests: FakeRequest[] = [];
  const script: ScriptedAnswer[] = [];
  const delivered = new Map<string, { id: string; payload: string }>();
  const deliveries: FakeDelivery[] = [];
  const stats = { rateLimited: 0, duplicates: 0, changedPayloads: 0, answered: 0 };
  const [minLatency, maxLatency] = Array.isArray(options.latencyMs) ? options.latencyMs : [options.latencyMs ?? 0, options.latencyMs ?? 0];
  const retryAfter = String(options.retryAfterSeconds ?? 1);
  let windowStart = 0;
  let inWindow = 0;
  /** Counts the request in this second's window; true when it is over the limit. */
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
      const body = raw ? JSON.parse(raw) : {};
      requests.push({ idempotencyKey, authorization: req.headers.authorization ?? null, body });
      stats.answered++;
      res.setHeader("content-type", "application/json");
      if (req.method !== "POST" || req.url !== "/emails") {
        res.statusCode = 404;
        res.end(JSON.stringify({ statusCode: 404, name: "not_found", message: "Not found" }));
        return;
      }
      const scripted = script.shift();
      const limited = overLimit();
      if (options.perSecond && options.rateLimitHeaders !== false) {
        res.setHeader("ratelimit-limit", String(options.perSecond));
        res.setHeader("ratelimit-remaining", String(Math.max(0, options.perSecond - inWindow)));
        res.setHeader("ratelimit-reset", String(Math.max(0, (windowStart + 1000 - Date.now()) / 1000).toFixed(3)));
      }
      const status = scripted === undefined ? (limited ? 429 : 200) : typeof scripted === "number" ? scripted : scripted.status;
      if (status !== 200) {
        res.statusCode = status;
        if (status === 429) {
          stats.rateLimited++;
          res.setHeader("retry-after", retryAfter);
        }
        const errorBody = typeof scripted === "object" ? scripted.body : { statusCode: status, name: errorNames[status] ?? "application_error", message: `scripted ${status}` };
        res.end(JSON.stringify(errorBody));
        return;
      }
      const payload = digest(raw);
      const earlier = idempotencyKey ? delivered.get(idempotencyKey) : undefined;
      if (earlier && earlier.payload !== payload) {
        stats.changedPayloads++;
        res.statusCode = 409;
        res.end(JSON.stringify({ statusCode: 409, name: "invalid_idempotent_request", message: "This idempotency key has already been used on a request that had a different payload." }));
        return;
      }
      if (earlier) stats.duplicates++;
      const id = earlier?.id ?? randomUUID();
      if (idempotencyKey && !earlier) delivered.set(idempotencyKey, { id, payload });
      if (!earlier) deliveries.push({ idempotencyKey, id, body });
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
    /** Each email delivered, as it was first sent. */
    deliveries,
    stats,
    /** The next answers, e.g. [500, 429] then 200 for everything after. */
    respondWith: (...answers: ScriptedAnswer[]) => script.push(...answers),
    reset: () => {
      requests.length = 0;
      script.length = 0;
      delivered.clear();
      deliveries.length = 0;
      stats.rateLimited = 0;
      stats.duplicates = 0;
      stats.changedPayloads = 0;
      stats.answered = 0;
      windowStart = 0;
      inWindow = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
