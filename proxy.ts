import { type NextRequest, NextResponse } from "next/server";
import { isPublicPath, sessionCookiePattern } from "@/lib/auth/config";
import { uploadLimits } from "@/lib/env";
import { REQUEST_ID_PATTERN } from "@/lib/log-pattern";
import { formatBytes } from "@/lib/format";
import { isFilePath, newNonce, securityHeaders, servedOverHttps } from "@/lib/security/headers";
import { uploadOrigins } from "@/lib/storage/config";

/**
 * Every request passes here. It sets the security headers of every response (lib/security/
 * headers.ts: a fresh CSP nonce per request, passed on to the render), refuses a request body
 * larger than an upload may be with the app's own words, and sends visitors without a session
 * cookie to sign-in with the page they asked for as `callbackUrl` (page visits only: a posted form
 * reaches its action, which answers for itself). The redirect is a convenience,
 * not the check: every page, action and route authorises for itself. It never reads or re-issues
 * the session, so no response can bring a signed-out session back; a stale cookie is refused by
 * the page (its session version is old, decision 008).
 */
export async function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  const https = servedOverHttps(req.nextUrl, req.headers.get("x-forwarded-proto"));
  // Built assets need no session: only their headers.
  if (pathname.startsWith("/_next/static/")) {
    return withHeaders(NextResponse.next(), securityHeaders({ nonce: "", https, dev: false, file: true }));
  }
  const nonce = newNonce();
  const headers = securityHeaders({ nonce, https, dev: process.env.NODE_ENV === "development", file: isFilePath(pathname), connectSources: uploadOrigins() });
  const refused = tooLarge(req) ?? (await notAForm(req));
  if (refused) return withHeaders(refused, headers);
  const hasSession = req.cookies.getAll().some((c) => sessionCookiePattern.test(c.name));
  // Only a page visit is sent to sign-in. A form posted after the session ended (signed out in
  // another tab) goes on to its action, which answers "signed out" and keeps the form and what
  // was typed; a redirect would answer it with the sign-in page and lose both.
  const visit = req.method === "GET" || req.method === "HEAD";
  if (!hasSession && visit && !isPublicPath(pathname)) {
    const url = new URL("/sign-in", req.nextUrl);
    if (pathname !== "/") url.searchParams.set("callbackUrl", pathname + search);
    return withHeaders(NextResponse.redirect(url), headers);
  }
  const forwarded = new Headers(req.headers);
  forwarded.set("x-makeline-path", pathname + search);
  // One id per request for the logs (lib/log.ts): the front proxy's when it sent a plain one.
  const requestId = requestIdOf(req);
  forwarded.set("x-request-id", requestId);
  // Next.js reads the nonce from the request's policy while rendering and puts it on its scripts.
  forwarded.set("content-security-policy", headers["Content-Security-Policy"]);
  forwarded.set("x-nonce", nonce);
  return withHeaders(NextResponse.next({ request: { headers: forwarded } }), { ...headers, "x-request-id": requestId });
}

function requestIdOf(req: NextRequest): string {
  const given = req.headers.get("x-request-id");
  return given && REQUEST_ID_PATTERN.test(given) ? given : crypto.randomUUID();
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
  // An API client reads problem details (RFC 9457), as from every other API error.
  if (req.nextUrl.pathname.startsWith("/api/")) {
    const problem = { type: "/api/v1/reference#problem-too-large", title: "The request body is too large", status: 413, detail: `Send at most ${limits.bodyBytes} bytes` };
    return new Response(JSON.stringify(problem), { status: 413, headers: { "content-type": "application/problem+json" } });
  }
  // A server action called by the page reads a plain-text error as its message.
  if (req.headers.has("next-action")) return new Response(message, { status: 413, headers: { "content-type": "text/plain" } });
  const html = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Upload too large · Makeline</title><main><h1>Upload too large</h1><p>${message}</p><p>Go back, choose smaller files and try again.</p></main></html>`;
  return new Response(html, { status: 413, headers: { "content-type": "text/html; charset=utf-8" } });
}

/**
 * Every Makeline server action takes a form (lib/auth/action.ts), which the browser posts as
 * multipart/form-data, with JavaScript or without; an action that reads no argument (sign out)
 * is posted as the empty argument list `[]`. A call with any other body (arguments of another
 * shape, made by hand) is a bad request: the framework would hand the action whatever it decoded,
 * and an action cannot answer with a status of its own.
 */
async function notAForm(req: NextRequest): Promise<Response | null> {
  if (req.method !== "POST" || !req.headers.has("next-action")) return null;
  if (/^multipart\/form-data\s*;/i.test(req.headers.get("content-type") ?? "")) return null;
  const length = Number(req.headers.get("content-length") ?? "0");
  if (length <= 16 && (await req.clone().text()).trim() === "[]") return null;
  return new Response("Bad request: a form was expected.", { status: 400, headers: { "content-type": "text/plain" } });
}

export const config = {
  // Every path but a browser's upload to the local folder (/api/files/<token>, up to 100 MB): the
  // proxy would buffer its body, and cut it past proxyClientMaxBodySize. The route checks its own token.
  matcher: ["/((?!api/files/).*)"],
};
