/**
 * Runs once per server start, before the first request: the app's boot. It records each
 * request's socket address (for sign-in throttling), seeds an empty embedded database with the
 * demo and, in development, starts the in-process automation pass.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { installSocketAddressHook } = await import("./lib/auth/client-address");
  installSocketAddressHook();
  const { seedEmbeddedDemo } = await import("./lib/demo/boot");
  await seedEmbeddedDemo();
  if (process.env.NODE_ENV !== "production") {
    const { startDevAutomations } = await import("./lib/automation/dev-loop");
    startDevAutomations();
  }
}
