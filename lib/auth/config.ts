import type { NextAuthConfig } from "next-auth";

/**
 * The edge-safe half of the auth config: pages and the session shape. No database, no hashing,
 * so the proxy can use it. The proxy only redirects; every page and action checks for itself.
 */
/** A session lasts at most this long from sign-in (decision 008). */
export const SESSION_MAX_AGE_S = 12 * 60 * 60;

export const authConfig = {
  pages: { signIn: "/sign-in" },
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
  trustHost: true,
  providers: [],
  callbacks: {
    // The token carries the account id, the session version it was issued at and when, nothing
    // else: roles, stores, the active flag and the current version are read from the database
    // (the full config checks them on every read: lib/auth/index.ts).
    jwt({ token, user }) {
      if (user?.id) {
        token.accountId = user.id;
        token.sessionVersion = (user as { sessionVersion?: number }).sessionVersion;
        token.signedInAt = Date.now();
      }
      return token;
    },
    session({ session, token }) {
      if (typeof token.accountId === "string") session.user.id = token.accountId;
      Object.assign(session, { sessionVersion: token.sessionVersion, signedInAt: token.signedInAt });
      return session;
    },
  },
} satisfies NextAuthConfig;

/** Auth.js's session cookie, whichever name it has (a `__Secure-` prefix over HTTPS, `.N` chunks). */
export const sessionCookiePattern = /^(__Secure-)?authjs\.session-token(\.\d+)?$/;

/**
 * Paths anyone may open: sign-in, Auth.js itself, health (ready and live), cron (which checks its own secret), the API (each route
 * checks its key: lib/api/route.ts) and the app's icon (app/icon.svg), which the sign-in page shows and browsers ask for as the favicon.
 */
export const publicPaths = [/^\/sign-in(\/|$)/, /^\/api\/auth\//, /^\/api\/health(\/live)?$/, /^\/api\/cron\//, /^\/icon\.svg$/, /^\/api\/v1(\/|$)/];
export const isPublicPath = (pathname: string) => publicPaths.some((p) => p.test(pathname));

/** A callback URL is followed only when it is a path on this site. */
export function safeCallbackUrl(value: unknown, fallback = "/orders"): string {
  if (typeof value !== "string" || !value.startsWith("/") || /[\\\u0000-\u001f]/.test(value)) return fallback;
  // Resolved against a placeholder origin: anything that leaves it ("//host", "/\\host") is refused.
  const url = new URL(value, "http://makeline.invalid");
  return url.origin === "http://makeline.invalid" ? url.pathname + url.search + url.hash : fallback;
}

/**
 * Where Auth.js may send someone: a path, or a URL on the request's origin or the app's, moved
 * onto the app's origin; anything else goes to the app's root.
 */
export function redirectOnOrigin(url: string, requestOrigin: string, app: string): string {
  let target: URL;
  try {
    target = new URL(url, app);
  } catch {
    return app;
  }
  const ours = url.startsWith("/") || target.origin === requestOrigin || target.origin === app;
  return ours ? `${app}${target.pathname}${target.search}${target.hash}` : app;
}
