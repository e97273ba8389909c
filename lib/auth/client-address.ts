/**
 * The client's address for sign-in throttling: the first X-Forwarded-For hop, as set by the
 * platform's proxy (Vercel, or the reverse proxy in front of a self-hosted server; `next start`
 * sets it itself). A server reachable without a proxy in front should strip the header there.
 */
export function clientAddress(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  const address = forwarded || headers.get("x-real-ip")?.trim() || "unknown";
  return address.slice(0, 64);
}
