import NextAuth from "next-auth";
import { NextResponse } from "next/server";
import { authConfig, isPublicPath } from "@/lib/auth/config";
import { authSecret } from "@/lib/env";

const { auth } = NextAuth({ ...authConfig, secret: authSecret() });

/**
 * Sends signed-out visitors to sign-in with the page they asked for as `callbackUrl`. This is a
 * convenience, not the check: every page, action and route authorises for itself.
 */
export const proxy = auth((req) => {
  const { pathname, search } = req.nextUrl;
  if (!req.auth && !isPublicPath(pathname)) {
    const url = new URL("/sign-in", req.nextUrl);
    if (pathname !== "/") url.searchParams.set("callbackUrl", pathname + search);
    return NextResponse.redirect(url);
  }
  const headers = new Headers(req.headers);
  headers.set("x-makeline-path", pathname + search);
  return NextResponse.next({ request: { headers } });
});

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg).*)"],
};
