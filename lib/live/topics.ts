import { LIVE_CHANNEL, allPayload } from "@/db/notify";
import { can } from "@/lib/auth/policy";
import type { Actor } from "@/lib/workflow";

/**
 * What a live page is told (decision 026): only that something changed, never what. A NOTIFY
 * payload (db/notify.ts) names an order and its store ("o:12:3"), or an account whose inbox changed ("a:7");
 * the page refetches through its own query, so reading stays with the page's authorisation. The
 * stream forwards a change only to those who may read it (`liveEventFor`): an order's to readers
 * of its store, an inbox's to its account. "*" (all) is sent after a gap, when changes may have
 * been missed (a dropped listener connection) and every page should look again.
 */

export { LIVE_CHANNEL, allPayload };

export type LiveTopic = { kind: "order"; orderId: number; storeId: number } | { kind: "inbox"; accountId: number } | { kind: "all" };

/** What the browser receives: an SSE event name and its data (an order number, or nothing). */
export type LiveEvent = { event: "order" | "inbox" | "all"; data: string };

const whole = (s: string | undefined) => (s !== undefined && /^[1-9][0-9]{0,15}$/.test(s) ? Number(s) : null);

export function parsePayload(payload: string): LiveTopic | null {
  if (payload === allPayload) return { kind: "all" };
  const [tag, a, b, ...rest] = payload.split(":");
  if (rest.length) return null;
  if (tag === "o") {
    const orderId = whole(a);
    const storeId = whole(b);
    return orderId && storeId ? { kind: "order", orderId, storeId } : null;
  }
  if (tag === "a" && b === undefined) {
    const accountId = whole(a);
    return accountId ? { kind: "inbox", accountId } : null;
  }
  return null;
}

/** The event this account's stream gets for a topic, or null when it may not know of it. */
export function liveEventFor(actor: Actor, topic: LiveTopic): LiveEvent | null {
  if (topic.kind === "all") return { event: "all", data: "" };
  if (topic.kind === "inbox") return topic.accountId === actor.id ? { event: "inbox", data: "" } : null;
  return can.readStore(actor, topic.storeId) ? { event: "order", data: String(topic.orderId) } : null;
}
