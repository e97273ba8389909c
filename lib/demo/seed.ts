import { count, eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { accounts, automationRules, shopSettings, storeMembers, stores } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { demoAllowed } from "@/lib/env";
import { defaultRules } from "@/lib/automation/defaults";
import { HISTORY_TABLES } from "./history";
import { type SeedOptions, seedDemoOrders } from "./orders";
import { DEMO_PASSWORD, demoAccounts, demoStores } from "./accounts";
import { demoActor } from "./actors";

export { DEMO_PASSWORD, demoAccounts, demoActor, demoStores };
export type { SeedOptions };

/** Stores, demo accounts and automation rules; idempotent. */
export async function seedBase(db: Db) {
  if (!demoAllowed()) {
    throw new Error("Refusing to create demo accounts with the shared demo password in production (set MAKELINE_ALLOW_DEMO=1 to force).");
  }
  await db.insert(stores).values(demoStores).onConflictDoNothing();
  const storeRows = await db.select().from(stores);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db
    .insert(accounts)
    .values(demoAccounts.map(({ email, name, roles }) => ({ email, name, roles, passwordHash })))
    .onConflictDoNothing();
  for (const a of demoAccounts.filter((a) => a.store)) {
    const [account] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, a.email));
    const store = storeRows.find((s) => s.code === a.store)!;
    await db.insert(storeMembers).values({ accountId: account.id, storeId: store.id }).onConflictDoNothing();
  }
  await db.insert(automationRules).values(defaultRules).onConflictDoNothing();
}

export async function seedDemo(db: Db, options: SeedOptions = {}) {
  await seedBase(db);
  await seedDemoOrders(db, options);
}

/**
 * The embedded database is seeded on the app's first start (instrumentation.ts), in one
 * transaction: a start killed half-way leaves it empty, and the next start seeds it whole
 * (otherwise the accounts it had written would read as "seeded" for ever).
 */
export async function seedIfEmpty(db: Db, options: SeedOptions = {}) {
  const seeded = await db.transaction(async (tx) => {
    const [{ n }] = await tx.select({ n: count() }).from(accounts);
    if (n === 0) await seedDemo(tx as unknown as Db, { ...options, vacuum: false });
    return n === 0;
  });
  if (seeded) await db.execute(sql.raw(`vacuum (analyze) ${HISTORY_TABLES.join(", ")}`));
}

/** A server on this machine (loopback or a Unix socket): the only kind the demo seed writes to unasked. */
export function isLocalDatabase(url: string): boolean {
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  const socket = parsed.searchParams.get("host");
  if (!host) return !socket || socket.startsWith("/");
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}

/** `npm run setup` has run here: this database is a shop's. */
export async function isSetUp(db: Db): Promise<boolean> {
  const [row] = await db.select({ id: shopSettings.id }).from(shopSettings);
  return Boolean(row);
}
