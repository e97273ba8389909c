import { count, eq } from "drizzle-orm";
import type { Db } from "./client";
import { accounts, automationRules, storeMembers, stores } from "./schema";
import { hashPassword } from "@/lib/auth/password";
import { demoAllowed } from "@/lib/env";
import { defaultRules } from "@/lib/automation/defaults";
import type { Actor } from "@/lib/workflow";
import { loadActor } from "@/lib/auth/accounts";
import { seedDemoOrders } from "./seed-orders";
import { DEMO_PASSWORD, demoAccounts, demoStores } from "./demo";

export { DEMO_PASSWORD, demoAccounts, demoStores };

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

export async function demoActor(db: Db, email: string): Promise<Actor> {
  const [row] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, email));
  const actor = row && (await loadActor(db, row.id));
  if (!actor) throw new Error(`No active demo account ${email}`);
  return actor;
}

export type SeedOptions = { historyOrders?: number; progress?: (done: number, total: number) => void };

export async function seedDemo(db: Db, options: SeedOptions = {}) {
  await seedBase(db);
  await seedDemoOrders(db, options);
}

/** The embedded database seeds itself on its first start. */
export async function seedIfEmpty(db: Db) {
  const [{ n }] = await db.select({ n: count() }).from(accounts);
  if (n === 0) await seedDemo(db);
}
