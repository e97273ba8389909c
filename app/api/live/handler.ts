import "server-only";
import type { Db } from "@/db/client";
import { liveMarker } from "@/db/queries/live";
import { subscribeLive } from "@/lib/live/hub";
import { type LiveEvent, liveEventFor } from "@/lib/live/topics";
import type { Actor } from "@/lib/workflow";

/**
 * The live pages' stream (decision 026): Server-Sent Events saying only that something this
 * account may read changed ("order" with its number, "inbox"); the page then refetches through
 * its own query. Signed-out: 401, which ends the browser's EventSource.
 */

/** How long the browser waits before reconnecting: a stream that ended, or the next poll. */
export const RETRY_MS = 3000;
/** A comment line this often keeps proxies from closing an idle stream, and re-checks the session. */
export const HEARTBEAT_MS = 25_000;
/** A stream ends after this long and the browser reconnects (and looks again): sessions and memory turn over. */
export const STREAM_MAX_MS = 15 * 60_000;

const HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-store, no-transform",
  connection: "keep-alive",
  // nginx and similar proxies buffer responses unless told not to.
  "x-accel-buffering": "no",
};

export const frame = (e: LiveEvent) => `event: ${e.event}\ndata: ${e.data}\n\n`;

export type LiveRequest = {
  db: Db;
  mode: "stream" | "poll" | "off";
  /** The browser's Last-Event-ID: where a polling page stood. */
  lastEventId: string | null;
  /** Ends when the browser goes away. */
  signal: AbortSignal;
  /** The session read afresh (null once it ended), asked at every heartbeat. */
  recheck: () => Promise<Actor | null>;
  /** HEARTBEAT_MS unless a test asks sooner. */
  heartbeatMs?: number;
};

export async function liveResponse(actor: Actor | null, req: LiveRequest): Promise<Response> {
  if (!actor) return new Response("Sign in to follow changes", { status: 401, headers: { "cache-control": "no-store" } });
  // 204 tells an EventSource to stop reconnecting.
  if (req.mode === "off") return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
  if (req.mode === "poll") return pollResponse(actor, req);
  return streamResponse(actor, req);
}

/**
 * One short answer per poll: the marker as the event id (the browser sends it back as
 * Last-Event-ID when it reconnects after RETRY_MS) and an event for each part that moved.
 */
async function pollResponse(actor: Actor, req: LiveRequest): Promise<Response> {
  const marker = await liveMarker(req.db, actor.id);
  const [orders, inbox] = (req.lastEventId ?? "").split("~");
  const events: LiveEvent[] = [];
  if (req.lastEventId !== null) {
    if (orders !== marker.orders) events.push({ event: "order", data: "" });
    if (inbox !== marker.inbox) events.push({ event: "inbox", data: "" });
  }
  const body = `retry: ${RETRY_MS}\nid: ${marker.orders}~${marker.inbox}\ndata:\n\n${events.map(frame).join("")}`;
  return new Response(body, { headers: HEADERS });
}

function streamResponse(first: Actor, req: LiveRequest): Response {
  const encoder = new TextEncoder();
  let actor = first;
  let stop = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      const send = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      const unsubscribe = await subscribeLive((topic) => {
        const event = liveEventFor(actor, topic);
        if (event) send(frame(event));
      });
      const heartbeat = setInterval(async () => {
        const now = await req.recheck().catch(() => actor);
        if (!now) return stop();
        actor = now;
        send(": \n\n");
      }, req.heartbeatMs ?? HEARTBEAT_MS);
      const ending = setTimeout(() => stop(), STREAM_MAX_MS);
      stop = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        clearTimeout(ending);
        unsubscribe();
        req.signal.removeEventListener("abort", stop);
        try {
          controller.close();
        } catch {
          // The browser already went away.
        }
      };
      req.signal.addEventListener("abort", stop);
      if (req.signal.aborted) return stop();
      // "hello" on every stream: the browser tells a first stream from one that came back after a gap.
      send(`retry: ${RETRY_MS}\nevent: hello\ndata:\n\n`);
    },
    cancel() {
      stop();
    },
  });
  return new Response(stream, { headers: HEADERS });
}
