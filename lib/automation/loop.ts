import { reportUnexpected } from "@/lib/errors";

/**
 * Runs `pass` now and then every `everySeconds`, never two at once: a tick that comes while a
 * pass is still running is skipped. Used by `npm run automations -- --every N` and `npm run dev`.
 */
export function startAutomationLoop(
  everySeconds: number,
  pass: () => Promise<void>,
  options: { firstAfterMs?: number } = {},
): { stop: () => Promise<void> } {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = pass()
      .catch((error) => reportUnexpected("automation pass", error))
      .finally(() => {
        running = null;
      });
  };
  const first = setTimeout(tick, options.firstAfterMs ?? 0);
  const timer = setInterval(tick, everySeconds * 1000);
  // A dev server or CLI should not be kept alive by the timers alone once asked to stop.
  first.unref?.();
  timer.unref?.();
  return {
    stop: async () => {
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
