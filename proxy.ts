import { type NextRequest, NextResponse } from "next/server";
import { isPublicPath, sessionCookiePattern } from "@/lib/auth/config";
import { uploadLimits } from "@/lib/env";
import { formatBytes } from "@/lib/orders/uploads";
import { isFilePath, newNonce, securityHeaders, servedOverHttps } from "@/lib/security/headers";
import { uploadOrigins } from "@/lib/storage/config";

/**
 * Every request passes here. It sets the security headers of every response (lib/security/
 * headers.ts: a fresh CSP nonce per request, passed on to the render), refuses a request body
 * larger than an upload may be with the app's own words, and sends visitors without a session
 * cookie to sign-in with the page they asked for as `callbackUrl`. The redirect is a convenience,
 * not the check: every page, action and route authorises for itself. It never reads or re-issues
 * the session, so no response can bring a signed-out session back; a stale cookie is refused by
 * the page (its session version is old, decision 008).
 */
export function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  const https = servedOverHttps(req.nextUrl, req.headers.get("x-forwarded-proto"));
  // Built assets need no session: only their headers.
  if (pathname.startsWith("/_next/static/")) {
    return withHeaders(NextResponse.next(), securityHeaders({ nonce: "", https, dev: false, file: true }));
  }
  const nonce = newNonce();
  const headers = securityHeaders({ nonce, https, dev: process.env.NODE_ENV === "development", file: isFilePath(pathname), connectSources: uploadOrigins() });
  const refused = tooLarge(req);
  if (refused) return withHeaders(refused, headers);
  const hasSession = req.cookies.getAll().some((c) => sessionCookiePattern.test(c.name));
  if (!hasSession && !isPublicPath(pathname)) {
    const url = new URL("/sign-in", req.nextUrl);
    if (pathname !== "/") url.searchParams.set("callbackUrl", pathname + search);
    return withHeaders(NextResponse.redirect(url), headers);
  }
  const forwarded = new Headers(req.headers);
  forwarded.set("x-makeline-path", pathname + search);
  // Next.js reads the nonce from the request's policy while rendering and puts it on its scripts.
  forwarded.set("content-security-policy", headers["Content-Security-Policy"]);
  forwarded.set("x-nonce", nonce);
  return withHeaders(NextResponse.next({ request: { headers: forwarded } }), headers);
}

function withHeaders<R extends Response>(response: R, headers: Record<string, string>): R {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

/**
 * A body larger than the largest upload (lib/env.ts uploadLimits) is refused here, before the
 * framework reads it: a server action would answer it with a bare 500, and the proxy would cut
 * it. The browser checks the same limits before it sends a file, so a person meets this only
 * without JavaScript; a request that does not say its length is refused too.
 */
function tooLarge(req: NextRequest): Response | null {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return null;
  const length = req.headers.get("content-length");
  if (length === null) {
    return req.headers.has("transfer-encoding") ? new Response("Send the request with a Content-Length.", { status: 411, headers: { "content-type": "text/plain; charset=utf-8" } }) : null;
  }
  const limits = uploadLimits();
  if (/^\d{1,15}$/.test(length) && Number(length) <= limits.bodyBytes) return null;
  const message = `This upload is too large: attach at most ${formatBytes(limits.requestBytes)} at once (each file at most ${formatBytes(limits.fileBytes)}). Nothing was saved.`;
  // A server action called by the page reads a plain-text error as its message.
  if (req.headers.has("next-action")) return new Response(message, { status: 413, headers: { "content-type": "text/plain" } });
  const html = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Upload too large · Makeline</title><main><h1>Upload too large</h1><p>${message}</p><p>Go back, choose smaller files and try again.</p></main></html>`;
  return new Response(html, { status: 413, headers: { "content-type": "text/html; charset=utf-8" } });
}

export const config = {
  // Every path but a browser's upload to the local folder (/api/files/<token>, up to 100 MB): the
  // proxy would buffer its body, and cut it past proxyClientMaxBodySize. The route checks its own token.
  matcher: ["/((?!api/files/).*)"],
};
