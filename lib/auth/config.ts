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
    jwt({ token, user }) {
      if (user?.id) token.accountId = user.id;
      return token;
    },
    session({ session, token }) {
      if (typeof token.accountId === "string") session.user.id = token.accountId;
      return session;
    },
  },
} satisfies NextAuthConfig;

/** Paths anyone may open: sign-in, Auth.js itself, health, cron (which checks its own secret). */
export const publicPaths = [/^\/sign-in(\/|$)/, /^\/api\/auth\//, /^\/api\/health$/, /^\/api\/cron\//];
export const isPublicPath = (pathname: string) => publicPaths.some((p) => p.test(pathname));

/** A callback URL is followed only when it is a path on this site. */
export function safeCallbackUrl(value: unknown, fallback = "/orders"): string {
  if (typeof value !== "string" || !value.startsWith("/") || /[\\\u0000-\u001f]/.test(value)) return fallback;
  // Resolved against a placeholder origin: anything that leaves it ("//host", "/\\host") is refused.
  const url = new URL(value, "http://makeline.invalid");
  return url.origin === "http://makeline.invalid" ? url.pathname + url.search + url.hash : fallback;
}
