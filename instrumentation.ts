import type { Instrumentation } from "next";

/**
 * Runs once per server start, before the first request: the app's boot. It records each
 * request's socket address (for sign-in throttling). In production it first
 * checks the configuration and refuses to start, in one line, when something is missing
 * (lib/env.ts productionProblems). Then it starts tracing when an OTLP endpoint is configured,
 * seeds an empty embedded database with the demo and starts the in-process automation pass
 * (development, or MAKELINE_IN_PROCESS_AUTOMATIONS=1).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { productionProblemLine, productionProblems } = await import("./lib/env");
  const problems = productionProblems();
  if (problems.length) {
    process.stderr.write(`${productionProblemLine(problems)}\n`);
    process.exit(1);
  }
  const { installSocketAddressHook } = await import("./lib/auth/client-address");
  installSocketAddressHook();
  if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT) {
    const { registerOTel } = await import("@vercel/otel");
    registerOTel({ serviceName: process.env.OTEL_SERVICE_NAME || "makeline" });
  }
  const { seedEmbeddedDemo } = await import("./lib/demo/boot");
  await seedEmbeddedDemo();
  const { startDevAutomations } = await import("./lib/automation/dev-loop");
  const loop = startDevAutomations();
  // With NEXT_MANUAL_SIG_HANDLE=1 (docs/deploying.md) the stop is ours: the pass stops claiming,
  // sends in flight end, claimed rows go back, then the process exits, within 10 s.
  if (process.env.NEXT_MANUAL_SIG_HANDLE) {
    const stop = () => void (loop?.stop() ?? Promise.resolve()).finally(() => process.exit(0));
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  }
}

/** Every error Next.js catches in a request: one log line with a reference and the request id, no content. */
export const onRequestError: Instrumentation.onRequestError = async (error, request, context) => {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { reportRequestError } = await import("./lib/errors");
  const header = request.headers["x-request-id"];
  reportRequestError(error, { method: request.method, path: request.path, requestId: Array.isArray(header) ? header[0] : header, routeType: context.routeType });
};
