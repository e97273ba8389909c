import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

/**
 * Where a webhook may go (decision 019): https only, and never to a private, loopback,
 * link-local or otherwise internal address, checked on the addresses the name resolves to, at
 * the moment of connecting (the HTTP client's own lookup is this check, so a name cannot resolve
 * to a public address for the check and a private one for the connection). Redirects are not
 * followed, so no 3xx can point elsewhere. MAKELINE_WEBHOOKS_ALLOW_PRIVATE=1 lifts both rules
 * for development and tests.
 */

const internal = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  internal.addSubnet(net, bits, "ipv4");
}
for (const [net, bits] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96],
  ["100::", 64],
  ["2001:db8::", 32],
  ["fc00::", 7],
  ["fe80::", 10],
  ["fec0::", 10],
  ["ff00::", 8],
] as const) {
  internal.addSubnet(net, bits, "ipv6");
}

/** An IPv4 address written inside an IPv6 one (::ffff:10.0.0.1, ::ffff:a00:1), or null. */
function embeddedIpv4(address: string): string | null {
  const m = /^::ffff:(?:0:)?(.+)$/i.exec(address);
  if (!m) return null;
  if (isIP(m[1]) === 4) return m[1];
  const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(m[1]);
  if (!hex) return null;
  const [hi, lo] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** Is this IP address one a webhook must never reach? Anything unparseable is. */
export function isInternalAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const family = isIP(bare);
  if (family === 4) return internal.check(bare, "ipv4");
  if (family === 6) {
    const v4 = embeddedIpv4(bare.toLowerCase());
    return v4 ? internal.check(v4, "ipv4") : internal.check(bare, "ipv6");
  }
  return true;
}

export type Resolved = { address: string; family: number };
export type Resolver = (hostname: string) => Promise<Resolved[]>;
export const systemResolver: Resolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/** The URL's own rules (scheme, no credentials, a host), before any resolution. */
export function checkUrlShape(raw: string, allowPrivate: boolean): UrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "Enter a full URL, e.g. https://example.com/webhooks" };
  }
  if (url.protocol !== "https:" && !(allowPrivate && url.protocol === "http:")) return { ok: false, reason: "Use an https:// URL" };
  if (url.username || url.password) return { ok: false, reason: "Leave user names and passwords out of the URL" };
  if (!url.hostname) return { ok: false, reason: "Enter a full URL, e.g. https://example.com/webhooks" };
  if (url.hash) return { ok: false, reason: "Leave the #fragment out of the URL" };
  return { ok: true, url };
}

/**
 * The addresses this host may be reached at, or why not: an IP literal is checked as it is, a
 * name by every address it resolves to (one internal address refuses the name).
 */
export async function resolveDestination(hostname: string, allowPrivate: boolean, resolve: Resolver = systemResolver): Promise<{ ok: true; addresses: Resolved[] } | { ok: false; reason: string }> {
  const host = hostname.replace(/^\[|\]$/g, "");
  const literal = isIP(host);
  let addresses: Resolved[];
  if (literal) addresses = [{ address: host, family: literal }];
  else {
    try {
      addresses = await resolve(host);
    } catch (error) {
      return { ok: false, reason: `${host} could not be resolved (${(error as NodeJS.ErrnoException).code ?? "DNS error"})` };
    }
  }
  if (!addresses.length) return { ok: false, reason: `${host} has no address` };
  if (!allowPrivate) {
    const bad = addresses.find((a) => isInternalAddress(a.address));
    if (bad) return { ok: false, reason: `Refused: ${host} resolves to ${bad.address}, a private, loopback or link-local address` };
  }
  return { ok: true, addresses };
}
