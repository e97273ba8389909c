import type { NextAuthConfig } from "next-auth";

/**
 * The edge-safe half of the auth config: pages and the session shape. No database, no hashing,
 * so the proxy can use it. The proxy only redirects; every page and action checks for itself.
 */
export const authConfig = {
  pages: { signIn: "/sign-in" },
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  trustHost: true,
  providers: [],
  callbacks: {
    // The token carries the account id and the session version it was issued at, nothing else:
    // roles, stores, the active flag and the current version are read from the database.
    jwt({ token, user }) {
      if (user?.id) {
        token.accountId = user.id;
        token.sessionVersion = (user as { sessionVersion?: number }).sessionVersion;
      }
      return token;
    },
    session({ session, token }) {
      if (typeof token.accountId === "string") session.user.id = token.accountId;
      (session as { sessionVersion?: unknown }).sessionVersion = token.sessionVersion;
      return session;
    },
  },
} satisfies NextAuthConfig;

/** Auth.js's session cookie, whichever name it has (a `__Secure-` prefix over HTTPS, `.N` chunks). */
export const sessionCookiePattern = /^(__Secure-)?authjs\.session-token(\.\d+)?$/;

/**
 * Paths anyone may open: sign-in, Auth.js itself, health, cron (which checks its own secret), and
 * the API (each route checks its key: lib/api/route.ts).
 */
export const publicPaths = [/^\/sign-in(\/|$)/, /^\/api\/auth\//, /^\/api\/health$/, /^\/api\/cron\//, /^\/api\/v1(\/|$)/];
export const isPublicPath = (pathname: string) => publicPaths.some((p) => p.test(pathname));

/** A callback URL is followed only when it is a path on this site. */
export function safeCallbackUrl(value: unknown, fallback = "/orders"): string {
  if (typeof value !== "string" || !value.startsWith("/") || /[\\\u0000-\u001f]/.test(value)) return fallback;
  // Resolved against a placeholder origin: anything that leaves it ("//host", "/\\host") is refused.
  const url = new URL(value, "http://makeline.invalid");
  return url.origin === "http://makeline.invalid" ? url.pathname + url.search + url.hash : fallback;
}
