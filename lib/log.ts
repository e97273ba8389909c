import { workUnitAsyncStorage } from "next/dist/server/app-render/work-unit-async-storage.external";
import pino from "pino";
import { REQUEST_ID_PATTERN } from "./log-pattern";

/**
 * The one logger: JSON lines on stdout with a level, a time, where it happened and, inside a
 * request, the request id the proxy gave it (x-request-id). What is logged is chosen by the
 * caller and never includes order content: errors go through reportUnexpected (lib/errors.ts),
 * which keeps a failed query's parameters out.
 */
export const createLogger = (destination?: pino.DestinationStream) =>
  pino(
    {
      level: levelFrom(process.env.LOG_LEVEL),
      base: { service: "makeline" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );

export const logger = createLogger();

function levelFrom(value: string | undefined): string {
  const levels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
  if (value && levels.includes(value)) return value;
  return process.env.NODE_ENV === "test" ? "warn" : "info";
}

export { REQUEST_ID_PATTERN };

/**
 * The current request's id, when there is a request: read from the request Next.js is handling
 * (its async storage, so the line is written at once); the CLI and the loop have none.
 */
export function currentRequestId(): string | undefined {
  try {
    const store = workUnitAsyncStorage.getStore() as { headers?: unknown } | undefined;
    const headers = store?.headers as { get?: (name: string) => string | null } | undefined;
    if (typeof headers?.get !== "function") return undefined;
    const id = headers.get("x-request-id");
    return id && REQUEST_ID_PATTERN.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}
