import "server-only";
import { type SQL, and, asc, count, eq, ilike, or, sql } from "drizzle-orm";
import { accountsWithStores } from "./account-stores";
import type { RoleKey } from "@/lib/workflow";
import type { Executor } from "../client";
import { accounts, storeMembers } from "../schema";

export const ACCOUNT_PAGE_SIZE = 25;

/**
 * The filters of /admin/users. lib/account-admin/schemas.ts parses them (accountListSchema); this is
 * its shape, restated because db/ does not import from lib/account-admin.
 */
export type AccountListFilter = {
  q?: string;
  role?: RoleKey;
  store?: number;
  status?: "active" | "inactive";
  page: number;
};

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, "\\$&")}%`;

/** Accounts by name, with their roles and stores, filtered and paged, and how many match. */
export async function listAccounts(db: Executor, query: AccountListFilter) {
  const conditions: (SQL | undefined)[] = [];
  if (query.q) conditions.push(or(ilike(accounts.name, likePattern(query.q)), ilike(accounts.email, likePattern(query.q))));
  if (query.role) conditions.push(sql`${query.role} = any(${accounts.roles})`);
  if (query.store) {
    conditions.push(sql`exists (select 1 from ${storeMembers} where ${storeMembers.accountId} = ${accounts.id} and ${storeMembers.storeId} = ${query.store})`);
  }
  if (query.status) conditions.push(eq(accounts.active, query.status === "active"));
  const where = and(...conditions);
  const [rows, [{ total }]] = await Promise.all([
    accountsWithStores(
      db,
      { id: accounts.id, name: accounts.name, email: accounts.email, roles: accounts.roles, active: accounts.active },
      { where, orderBy: [asc(accounts.name), asc(accounts.id)], limit: ACCOUNT_PAGE_SIZE, offset: (query.page - 1) * ACCOUNT_PAGE_SIZE },
    ),
    db.select({ total: count() }).from(accounts).where(where),
  ]);
  return { rows, total };
}
export type AccountListRow = Awaited<ReturnType<typeof listAccounts>>["rows"][number];

/** One account as its edit page shows it (never the password hash); null when there is none. */
export async function accountDetail(db: Executor, id: number) {
  const [row] = await accountsWithStores(
    db,
    { id: accounts.id, name: accounts.name, email: accounts.email, roles: accounts.roles, active: accounts.active, createdAt: accounts.createdAt, passwordChangedAt: accounts.passwordChangedAt },
    { where: eq(accounts.id, id) },
  );
  return row ?? null;
}
export type AccountDetail = NonNullable<Awaited<ReturnType<typeof accountDetail>>>;

/** Every account's name and email, for pickers (the audit log's filter). */
export async function listAccountNames(db: Executor) {
  return db.select({ id: accounts.id, name: accounts.name, email: accounts.email }).from(accounts).orderBy(asc(accounts.name), asc(accounts.id));
}
