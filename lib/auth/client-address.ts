import "server-only";
import { randomBytes } from "node:crypto";
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";
import type { Socket } from "node:net";
import { env } from "@/lib/env";

/**
 * The client's address, for sign-in throttling and the audit log (decision 016). A client writes
 * whatever it likes into X-Forwarded-For, so only the hops that trusted proxies appended count:
 * with MAKELINE_TRUSTED_PROXY_HOPS = N, the address is the Nth entry from the right of the chain
 * "X-Forwarded-For entries, then the socket's address". 0 (the default) is the socket itself; 1
 * is the entry the one proxy in front appended (Vercel, or nginx's $proxy_add_x_forwarded_for).
 *
 * Next.js hands a route handler or server action no socket, and fills X-Forwarded-For from the
 * socket only when the client sent none, so the two cannot be told apart in the headers. The
 * socket's address is therefore written by installSocketAddressHook (instrumentation.ts) into a
 * header of its own, with a token that only this process knows, so a client cannot forge it.
 */

const SOCKET_HEADER = "x-makeline-socket-address";
const TOKEN = Symbol.for("makeline.socketAddressToken");
/** An address nobody can be told apart by: a request the hook did not see, or a hop that is no IP. */
export const UNKNOWN_ADDRESS = "unknown";

type WithToken = { [TOKEN]?: string };

/**
 * Records each request's socket address before Next.js sees the request. Node publishes
 * `http.server.request.start` synchronously before it emits "request", for every HTTP server in
 * the process, so `next start` needs no custom server. The token lives on globalThis because
 * instrumentation and the routes are separate bundles of this module.
 */
export function installSocketAddressHook() {
  const g = globalThis as WithToken;
  if (g[TOKEN]) return;
  const token = randomBytes(18).toString("base64url");
  g[TOKEN] = token;
  subscribe("http.server.request.start", (message) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    // Overwrites whatever the client sent under this name.
    request.headers[SOCKET_HEADER] = `${token} ${socket.remoteAddress ?? ""}`;
  });
}

/** The socket's address as the hook wrote it, or null when the hook did not see this request. */
function socketAddress(headers: Headers): string | null {
  const token = (globalThis as WithToken)[TOKEN];
  const value = headers.get(SOCKET_HEADER);
  if (!token || !value?.startsWith(`${token} `)) return null;
  return value.slice(token.length + 1) || null;
}

/** The client's address for this request's headers (see above). */
export function clientAddress(headers: Headers, trustedHops = env().MAKELINE_TRUSTED_PROXY_HOPS): string {
  const forwarded = (headers.get("x-forwarded-for") ?? "").split(",").map((hop) => hop.trim()).filter(Boolean);
  return addressFromHops(forwarded, socketAddress(headers), trustedHops);
}

/**
 * The entry `trustedHops` from the right of forwarded + [socket]. A socket the hook did not see
 * still holds its place in the chain (as unknown), so the count of hops never shifts onto an
 * entry the client wrote. A chain shorter than the hops (a request that bypassed a proxy) gives
 * its left-most entry, which is then one a trusted proxy or the socket wrote.
 */
export function addressFromHops(forwarded: readonly string[], socket: string | null, trustedHops: number): string {
  const chain = [...forwarded, socket];
  const hop = chain[Math.max(0, chain.length - 1 - trustedHops)];
  return hop ? normalizeAddress(hop) : UNKNOWN_ADDRESS;
}

/** One spelling per address: IPv4 rather than IPv4-mapped IPv6, lower-case IPv6; anything else is unknown. */
export function normalizeAddress(raw: string): string {
  let s = raw.trim().toLowerCase();
  // "[2001:db8::1]:443" and "203.0.113.9:443", as some proxies write them.
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracketed) s = bracketed[1];
  else if (/^[\d.]+:\d+$/.test(s)) s = s.slice(0, s.lastIndexOf(":"));
  if (s.startsWith("::ffff:") && isIP(s.slice(7)) === 4) s = s.slice(7);
  return isIP(s) ? s : UNKNOWN_ADDRESS;
}
