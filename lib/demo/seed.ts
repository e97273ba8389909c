import { count, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { accounts, automationRules, storeMembers, stores } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { demoAllowed } from "@/lib/env";
import { defaultRules } from "@/lib/automation/defaults";
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

/** The embedded database is seeded on the app's first start (instrumentation.ts). */
export async function seedIfEmpty(db: Db) {
  const [{ n }] = await db.select({ n: count() }).from(accounts);
  if (n === 0) await seedDemo(db);
}
