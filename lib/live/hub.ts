import "server-only";
import { type Connection, connection } from "@/db/client";
import { reportUnexpected } from "@/lib/errors";
import { LIVE_CHANNEL, type LiveTopic, allPayload, parsePayload } from "./topics";

/**
 * One LISTEN per process, fanned out in memory to every open live stream (decision 026): 200
 * open pages cost one database connection, not 200. The listen starts with the first stream and
 * stays for the life of the process.
 */

type Listener = (topic: LiveTopic) => void;
type Hub = { listeners: Set<Listener>; started?: Promise<void>; unlisten?: () => Promise<void> };

const hub = ((globalThis as { __makelineLive?: Hub }).__makelineLive ??= { listeners: new Set() });

function dispatch(payload: string) {
  const topic = parsePayload(payload);
  if (!topic) return;
  for (const listener of hub.listeners) {
    try {
      listener(topic);
    } catch (error) {
      reportUnexpected("live listener", error);
    }
  }
}

/** Starts listening on `conn` (the app's connection unless a test gives one). */
export function startLiveHub(conn?: Promise<Connection>): Promise<void> {
  hub.started ??= (async () => {
    const c = await (conn ?? connection());
    let listening = 0;
    // A listen re-established after a dropped connection missed what was sent meanwhile.
    hub.unlisten = await c.listen(LIVE_CHANNEL, dispatch, () => {
      if (listening++ > 0) dispatch(allPayload);
    });
  })().catch((error) => {
    hub.started = undefined;
    throw error;
  });
  return hub.started;
}

/** Calls `listener` with every change from now on; returns the unsubscribe. */
export async function subscribeLive(listener: Listener, conn?: Promise<Connection>): Promise<() => void> {
  await startLiveHub(conn);
  hub.listeners.add(listener);
  return () => void hub.listeners.delete(listener);
}

/** How many streams are open in this process (the bench reads it). */
export const liveSubscribers = () => hub.listeners.size;

/** Stops the listen and forgets every stream (tests, before closing their database). */
export async function stopLiveHub() {
  const unlisten = hub.unlisten;
  hub.started = undefined;
  hub.unlisten = undefined;
  hub.listeners.clear();
  await unlisten?.();
}
