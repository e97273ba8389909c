import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { type NextRequest, after } from "next/server";
import { getDb } from "@/db/client";
import { recordAudit } from "@/lib/audit/record";
import { authSecret, authUrl } from "@/lib/env";
import { endSessionsFrom } from "./actor";
import { reportUnexpected } from "@/lib/errors";
import { clientAddress } from "./client-address";
import { authConfig, redirectOnOrigin } from "./config";
import { sessionActor } from "./live-session";
import { attemptSignIn } from "./sign-in";

/** Refused because the (email, address) pair or the address is locked: the sign-in form says so, in one message. */
export class SignInLocked extends CredentialsSignin {
  code = "locked";
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => {
  return {
    ...authConfig,
    secret: authSecret(),
    providers: [
      Credentials({
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        authorize: async (credentials, request) => {
          const db = await getDb();
          const outcome = await attemptSignIn(db, credentials, clientAddress(request.headers), { afterCommit: (task) => after(() => task(db)) });
          if (outcome.status === "locked") throw new SignInLocked();
          return outcome.status === "ok" ? outcome.user : null;
        },
      }),
    ],
    callbacks: {
      ...authConfig.callbacks,
      // Every redirect lands on the app's own origin (APP_URL), whatever host the request named.
      redirect: ({ url, baseUrl }) => redirectOnOrigin(url, baseUrl, appOrigin()),
      // Every read of a session, Auth.js's own endpoints included (/api/auth/session, which would
      // otherwise answer with the identity and a fresh cookie), checks it the way the app's pages
      // do. An ended session answers null: Auth.js then clears the cookie.
      async jwt(params) {
        const token = authConfig.callbacks.jwt(params);
        if (params.user) return token; // just signed in: authorize checked it
        return (await sessionActor(await getDb(), token)) ? token : null;
      },
    },
    events: {
      // Both ways out (the app's button and POST /api/auth/signout) end every session of the
      // account, so a copied cookie or one a late response brings back is refused from now on.
      // Only a live session does: a revoked or stolen old cookie posted here ends nothing.
      async signOut(message) {
        const token = "token" in message ? message.token : null;
        if (!token) return;
        const db = await getDb();
        const actor = await sessionActor(db, token);
        if (!actor || !(await endSessionsFrom(db, actor.id, token.sessionVersion as number))) return;
        await recordAudit(db, { kind: "signOut", actorId: actor.id, accountId: actor.id });
      },
    },
    logger: {
      // A wrong password is an expected event: one line (attemptSignIn wrote it), no stack trace.
      error(error) {
        if (error instanceof CredentialsSignin || (error as { type?: string }).type === "CredentialsSignin") return;
        reportUnexpected("auth", error);
      },
    },
  };
});

/** APP_URL's origin (or AUTH_URL's): where Auth.js is, and where its answers send people. */
const appOrigin = () => new URL(authUrl()).origin;


/**
 * Auth.js's route handlers (/api/auth/*), answering as if the request had come to APP_URL's
 * origin: Auth.js builds its redirects and callback URLs from the request's URL, which Next.js
 * builds from the Host header, and names 127.0.0.1 "localhost" in any NextRequest (so next-auth's
 * own AUTH_URL rewrite cannot help there). A plain Request keeps the origin it is given.
 */
export const authRoutes = {
  GET: (req: NextRequest) => handlers.GET(atAppOrigin(req)),
  POST: (req: NextRequest) => handlers.POST(atAppOrigin(req)),
};

function atAppOrigin(req: NextRequest): NextRequest {
  // An AUTH_URL set by hand: next-auth moves the request to it itself (and needs its nextUrl).
  if (process.env.AUTH_URL ?? process.env.NEXTAUTH_URL) return req;
  const { pathname, search } = new URL(req.url);
  const init: RequestInit & { duplex: "half" } = { method: req.method, headers: req.headers, body: req.body, duplex: "half" };
  // next-auth types its handlers with NextRequest; with AUTH_URL unset it passes this one on as it is.
  return new Request(new URL(pathname + search, appOrigin()), init) as NextRequest;
}
