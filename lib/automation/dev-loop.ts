import "server-only";
import { getDb } from "@/db/client";
import { env } from "@/lib/env";
import { logger } from "@/lib/log";
import { startAutomationLoop } from "./loop";
import { runAutomations } from "./runner";

const holder = globalThis as { __makelineAutomationLoop?: ReturnType<typeof startAutomationLoop> };

/**
 * The automation pass inside the server, every MAKELINE_AUTOMATIONS_EVERY seconds: always in
 * `npm run dev` (overdue escalations and dev-mailbox emails appear without a scheduler), and in
 * production only with MAKELINE_IN_PROCESS_AUTOMATIONS=1 (a self-hosted server on the embedded
 * database, where a second process may not open it). Returns the loop, to stop it on shutdown.
 */
export function startDevAutomations(): ReturnType<typeof startAutomationLoop> | null {
  const e = env();
  const wanted = e.NODE_ENV !== "production" || e.MAKELINE_IN_PROCESS_AUTOMATIONS === "1";
  if (!wanted || e.MAKELINE_AUTOMATIONS_EVERY <= 0 || holder.__makelineAutomationLoop) return null;
  holder.__makelineAutomationLoop = startAutomationLoop(
    e.MAKELINE_AUTOMATIONS_EVERY,
    async (signal) => {
      const s = await runAutomations({ db: await getDb(), signal });
      if (s.fired || s.sent || s.failed || s.retried) logger.info({ where: "automations", ...s }, "automation pass");
    },
    { firstAfterMs: 5_000 },
  );
  return holder.__makelineAutomationLoop;
}
