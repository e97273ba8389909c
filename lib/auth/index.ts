import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getDb } from "@/db/client";
import { recordAudit } from "@/lib/audit/record";
import { authSecret } from "@/lib/env";
import { reportUnexpected } from "@/lib/errors";
import { endSessions } from "./actor";
import { attemptSignIn } from "./sign-in";
import { authConfig } from "./config";
import { clientAddress } from "./client-address";

/** Refused because the email or the address is locked: the sign-in form says so, in one message. */
export class SignInLocked extends CredentialsSignin {
  code = "locked";
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  ...authConfig,
  secret: authSecret(),
  providers: [
    Credentials({
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      authorize: async (credentials, request) => {
        const outcome = await attemptSignIn(await getDb(), credentials, clientAddress(request.headers));
        if (outcome.status === "locked") throw new SignInLocked();
        return outcome.status === "ok" ? outcome.user : null;
      },
    }),
  ],
  events: {
    // Both ways out (the app's button and POST /api/auth/signout) end every session of the
    // account, so a copied cookie or one a late response brings back is refused from now on.
    async signOut(message) {
      const token = "token" in message ? message.token : null;
      const id = Number(token?.accountId);
      if (!Number.isInteger(id) || id <= 0) return;
      const db = await getDb();
      await endSessions(db, id);
      await recordAudit(db, { kind: "signOut", actorId: id, accountId: id });
    },
  },
  logger: {
    // A wrong password is an expected event: one line (attemptSignIn wrote it), no stack trace.
    error(error) {
      if (error instanceof CredentialsSignin || (error as { type?: string }).type === "CredentialsSignin") return;
      reportUnexpected("auth", error);
    },
  },
}));
