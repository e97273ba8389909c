/** Runs once per server start. In development it starts the in-process automation pass. */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.NODE_ENV !== "production") {
    const { startDevAutomations } = await import("./lib/automation/dev-loop");
    startDevAutomations();
  }
}
