import "server-only";
import { getDb } from "@/db/client";
import { env } from "@/lib/env";
import { logger } from "@/lib/log";
import { startAutomationLoop } from "./loop";
import { runAutomations } from "./runner";

const holder = globalThis as { __makelineAutomationLoop?: boolean };

/**
 * `npm run dev` runs the automation pass in-process every MAKELINE_AUTOMATIONS_EVERY seconds, so
 * overdue escalations and dev-mailbox emails appear on the demo without a scheduler.
 */
export function startDevAutomations() {
  const e = env();
  if (e.NODE_ENV === "production" || e.MAKELINE_AUTOMATIONS_EVERY <= 0 || holder.__makelineAutomationLoop) return;
  holder.__makelineAutomationLoop = true;
  startAutomationLoop(
    e.MAKELINE_AUTOMATIONS_EVERY,
    async () => {
      const s = await runAutomations({ db: await getDb() });
      if (s.fired || s.sent || s.failed || s.retried) logger.info({ where: "automations", ...s }, "automation pass");
    },
    { firstAfterMs: 5_000 },
  );
}
