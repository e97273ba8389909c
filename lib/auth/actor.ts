import "server-only";
import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { accountsWithStores } from "@/db/queries/account-stores";
import { accounts } from "@/db/schema";
import type { Actor } from "@/lib/workflow";

/** The signed-in account as every check sees it (the actor), and the end of its sessions. */

/**
 * The signed-in account as every check sees it, read fresh from the database. With `session`,
 * the session's version must still be the account's: sign-out, sign out everywhere, a
 * deactivation, a password or a role change raise it, and every older session ends here.
 */
export async function loadActor(db: Executor, accountId: number, session?: { version: unknown }): Promise<Actor | null> {
  const [row] = await accountsWithStores(
    db,
    { id: accounts.id, name: accounts.name, email: accounts.email, roles: accounts.roles, active: accounts.active, sessionVersion: accounts.sessionVersion, timeZone: accounts.timeZone },
    { where: eq(accounts.id, accountId) },
  );
  if (!row || !row.active) return null;
  if (session && session.version !== row.sessionVersion) return null;
  return { id: row.id, name: row.name, email: row.email, roles: row.roles, storeIds: row.storeIds, timeZone: row.timeZone ?? "UTC" };
}

/** Ends every session of the account at its next request. */
export async function endSessions(db: Executor, accountId: number) {
  await db
    .update(accounts)
    .set({ sessionVersion: sql`${accounts.sessionVersion} + 1` })
    .where(eq(accounts.id, accountId));
}


/**
 * Ends every session of the account when `version` is still its current one: what a sign-out
 * does. A session already ended (a copied cookie, sign-out posted twice) ends nothing. True when
 * it did.
 */
export async function endSessionsFrom(db: Executor, accountId: number, version: number): Promise<boolean> {
  const rows = await db
    .update(accounts)
    .set({ sessionVersion: sql`${accounts.sessionVersion} + 1` })
    .where(and(eq(accounts.id, accountId), eq(accounts.sessionVersion, version)))
    .returning({ id: accounts.id });
  return rows.length > 0;
}
