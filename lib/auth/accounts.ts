import "server-only";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db/client";
import { accounts, storeMembers } from "@/db/schema";
import type { Actor } from "@/lib/workflow";
import { verifyPassword } from "./password";

export const signInSchema = z.object({
  // Trimmed before the format check, so a pasted or autofilled trailing space still signs in.
  email: z.string({ error: "Enter your email address" }).trim().toLowerCase().pipe(z.email("Enter your email address")),
  password: z.string().min(1, "Enter your password").max(200),
});

/** An account's stores, for a query over accounts left-joined to store_members and grouped by account. */
export const accountStoreIds = sql<number[]>`coalesce(array_agg(${storeMembers.storeId}) filter (where ${storeMembers.storeId} is not null), '{}')`;

/** The signed-in account as every check sees it, read fresh from the database. */
export async function loadActor(db: Executor, accountId: number): Promise<Actor | null> {
  const [row] = await db
    .select({
      id: accounts.id,
      name: accounts.name,
      email: accounts.email,
      roles: accounts.roles,
      active: accounts.active,
      storeIds: accountStoreIds,
    })
    .from(accounts)
    .leftJoin(storeMembers, eq(storeMembers.accountId, accounts.id))
    .where(eq(accounts.id, accountId))
    .groupBy(accounts.id);
  if (!row || !row.active) return null;
  return { id: row.id, name: row.name, email: row.email, roles: row.roles, storeIds: row.storeIds.map(Number) };
}

/** Email and password to an account, or null: one answer for every kind of failure. */
export async function verifyCredentials(db: Executor, input: unknown) {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return null;
  const [account] = await db.select().from(accounts).where(eq(accounts.email, parsed.data.email));
  if (!account) {
    await verifyPassword(DUMMY_HASH, parsed.data.password); // same time whether or not the email exists
    return null;
  }
  if (!(await verifyPassword(account.passwordHash, parsed.data.password)) || !account.active) return null;
  return { id: String(account.id), name: account.name, email: account.email };
}

const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$1FmTs4ANOEjE/6wuQkmAWm3JZVrIzsYNmW0qImuavAE";
