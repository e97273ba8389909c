import pino from "pino";
import { REQUEST_ID_PATTERN } from "./log-pattern";

/**
 * The one logger: JSON lines on stdout with a level, a time, where it happened and, inside a
 * request, the request id the proxy gave it (x-request-id). What is logged is chosen by the
 * caller and never includes order content: errors go through reportUnexpected (lib/errors.ts),
 * which keeps a failed query's parameters out.
 */
export const logger = pino({
  level: levelFrom(process.env.LOG_LEVEL),
  base: { service: "makeline" },
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
});

function levelFrom(value: string | undefined): string {
  const levels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
  if (value && levels.includes(value)) return value;
  return process.env.NODE_ENV === "test" ? "warn" : "info";
}

export { REQUEST_ID_PATTERN };

/** The current request's id, when there is a request (never throws: the CLI and the loop have none). */
export async function currentRequestId(): Promise<string | undefined> {
  try {
    const { headers } = await import("next/headers");
    const id = (await headers()).get("x-request-id");
    return id && REQUEST_ID_PATTERN.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}
