import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { demoAccounts } from "@/lib/demo/accounts";
import { orderHistory, stores } from "@/db/schema";
import { demoActor, seedBase } from "@/lib/demo/seed";
import { driveOrder, type DriveOptions } from "@/lib/demo/orders";
import type { Actor } from "@/lib/workflow";

export type Actors = Record<string, Actor>;

/** Demo stores, accounts and rules, and each demo account as an Actor keyed by email. */
export async function seedActors(db: Db): Promise<{ actors: Actors; storeIds: { north: number; south: number } }> {
  await seedBase(db);
  const actors: Actors = {};
  for (const a of demoAccounts) actors[a.email] = await demoActor(db, a.email);
  const rows = await db.select().from(stores);
  return { actors, storeIds: { north: rows.find((s) => s.code === "north")!.id, south: rows.find((s) => s.code === "south")!.id } };
}

export const orderIn = (db: Db, options: DriveOptions) => driveOrder(db, options);

export function pdfFile(name = "design.pdf") {
  return new File([Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")], name, { type: "application/pdf" });
}

export async function historyOf(db: Db, orderId: number) {
  return db.select().from(orderHistory).where(eq(orderHistory.orderId, orderId)).orderBy(orderHistory.id);
}

export const inDays = (days: number) => new Date(Date.now() + days * 86400_000).toISOString().slice(0, 10);

/** The card's two rules alone: tests that count its alerts and emails disable the seeded defaults beside them. */
export async function onlyCardRules(db: Db) {
  const { automationRules } = await import("@/db/schema");
  const { notInArray } = await import("drizzle-orm");
  await db.update(automationRules).set({ enabled: false }).where(notInArray(automationRules.key, ["feasibility-alert", "stage-overdue-escalation"]));
}

/** The fail reasons the fail_reasons_seed migration gives every database, by the ids a fresh one gives them. */
export const seededFailReasons = { dimensions: 1, finish: 2, material: 3, wrongSpecification: 4, damageInHandling: 5, other: 6 } as const;
