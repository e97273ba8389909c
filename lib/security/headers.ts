/**
 * The security headers of every response, decided here and set by the proxy (proxy.ts), the one
 * place every request passes. Pure and edge-safe.
 *
 * Pages get a nonce-based Content-Security-Policy as Next.js documents it for the App Router:
 * the proxy makes a fresh nonce per request and passes the policy on in the request headers, and
 * Next.js puts the nonce on its own scripts while rendering. No inline script runs without it
 * ('unsafe-inline' is never allowed for scripts). Styles allow inline: React renders `style`
 * attributes (the charts), and the development mailbox shows stored email HTML, styled inline, in
 * a sandboxed srcdoc frame that inherits this policy. Decision 012 has the reasoning.
 */

export type SecurityContext = {
  /** This request's nonce (base64). */
  nonce: string;
  /** Served over HTTPS (directly or behind a proxy that says so): adds HSTS and upgrades requests. */
  https: boolean;
  /** `next dev`: React's debugging needs eval there, and only there. */
  dev: boolean;
  /** An uploaded file, not a page: a policy that runs nothing and shows nothing but itself. */
  file: boolean;
  /** Origins pages may also send requests to: the file store's, where the browser uploads (lib/storage). */
  connectSources?: readonly string[];
};

/** Attachments are served at /orders/<id>/attachments/<attachmentId>. */
export const isFilePath = (pathname: string) => /^(\/api\/v1)?\/orders\/[^/]+\/attachments\/[^/]+\/?$/.test(pathname);

/** A nonce: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

export function contentSecurityPolicy({ nonce, https, dev, file, connectSources = [] }: SecurityContext): string {
  if (file) {
    // An uploaded PDF or image is shown on its own: no scripts, no plugins, no framing.
    return "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox";
  }
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    // The file store's origin too: a thumbnail of an image attachment (the printed traveller) is a redirect there.
    ["img-src 'self' data: blob:", ...connectSources].join(" "),
    "font-src 'self'",
    ["connect-src 'self'", ...connectSources].join(" "),
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** Browser features Makeline never uses, turned off for the page and anything it embeds. */
export const permissionsPolicy = [
  "accelerometer=()",
  "autoplay=()",
  "camera=()",
  "display-capture=()",
  "geolocation=()",
  "gyroscope=()",
  "magnetometer=()",
  "microphone=()",
  "midi=()",
  "payment=()",
  "usb=()",
].join(", ");

/** Every security header of a response, by name. */
export function securityHeaders(context: SecurityContext): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(context),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": permissionsPolicy,
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    ...(context.https ? { "Strict-Transport-Security": "max-age=63072000; includeSubDomains" } : {}),
  };
}

/** Is the request over HTTPS: its own URL, or the TLS-terminating proxy in front of it says so. */
export function servedOverHttps(url: URL, forwardedProto: string | null): boolean {
  return url.protocol === "https:" || forwardedProto?.split(",")[0].trim().toLowerCase() === "https";
}
