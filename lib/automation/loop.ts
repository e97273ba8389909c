import { reportUnexpected } from "@/lib/errors";

/** How long a stop may take: in-flight sends end, claimed rows go back, then the process exits. */
export const STOP_WITHIN_MS = 10_000;

/**
 * Runs `pass` now and then every `everySeconds`, never two at once: a tick that comes while a
 * pass is still running is skipped. Used by `npm run automations -- --every N`, `npm run dev`
 * and the in-process loop of a production server. `stop` stops claiming (the pass's signal is
 * aborted: what it claimed but has not started goes back at once) and waits for the sends in
 * flight, at most STOP_WITHIN_MS.
 */
export function startAutomationLoop(
  everySeconds: number,
  pass: (signal: AbortSignal) => Promise<void>,
  options: { firstAfterMs?: number } = {},
): { stop: () => Promise<void> } {
  const stopping = new AbortController();
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running || stopping.signal.aborted) return;
    running = pass(stopping.signal)
      .catch((error) => void reportUnexpected("automation pass", error))
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
      stopping.abort();
      let timeout: NodeJS.Timeout | undefined;
      await Promise.race([running, new Promise((r) => (timeout = setTimeout(r, STOP_WITHIN_MS - 500)))]);
      clearTimeout(timeout);
    },
  };
}
