import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { accounts } from "@/db/schema";
import { loadActor } from "@/lib/auth/actor";
import type { Actor } from "@/lib/workflow";

/** A demo account as the commands see it: for the seed, tests and benchmarks. */
export async function demoActor(db: Db, email: string): Promise<Actor> {
  const [row] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, email));
  const actor = row && (await loadActor(db, row.id));
  if (!actor) throw new Error(`No active demo account ${email}`);
  return actor;
}
