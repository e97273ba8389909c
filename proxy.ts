import { type NextRequest, NextResponse } from "next/server";
import { isPublicPath, sessionCookiePattern } from "@/lib/auth/config";

/**
 * Sends visitors without a session cookie to sign-in with the page they asked for as
 * `callbackUrl`. This is a convenience, not the check: every page, action and route authorises
 * for itself. It never reads or re-issues the session, so no response of the proxy can bring a
 * signed-out session back; a stale cookie is refused by the page (its session version is old).
 */
export function proxy(req: NextRequest) {
  const { pathname, search } = req.nextUrl;
  const hasSession = req.cookies.getAll().some((c) => sessionCookiePattern.test(c.name));
  if (!hasSession && !isPublicPath(pathname)) {
    const url = new URL("/sign-in", req.nextUrl);
    if (pathname !== "/") url.searchParams.set("callbackUrl", pathname + search);
    return NextResponse.redirect(url);
  }
  const headers = new Headers(req.headers);
  headers.set("x-makeline-path", pathname + search);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg).*)"],
};
