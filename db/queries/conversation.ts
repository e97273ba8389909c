import "server-only";
import { and, asc, eq, isNull } from "drizzle-orm";
import type { Executor } from "../client";
import { accounts, orderComments, stageEntries } from "../schema";
import { accountsWithStores } from "./account-stores";
import { mayReadStore } from "@/lib/workflow";

/** Every active account with its roles and stores: whom a comment may mention, a stage be assigned to. */
export async function activePeople(db: Executor) {
  return accountsWithStores(
    db,
    { id: accounts.id, name: accounts.name, email: accounts.email, roles: accounts.roles, timeZone: accounts.timeZone, digestHour: accounts.digestHour },
    { where: eq(accounts.active, true), orderBy: [asc(accounts.name)] },
  );
}
export type Person = Awaited<ReturnType<typeof activePeople>>[number];

/** The active accounts that may read an order of this store. */
export async function peopleWhoRead(db: Executor, storeId: number) {
  return (await activePeople(db)).filter((p) => mayReadStore(p, storeId));
}

/** An order's comments, oldest first, with their authors. */
export async function commentsOf(db: Executor, orderId: number) {
  return db
    .select({ comment: orderComments, authorName: accounts.name })
    .from(orderComments)
    .innerJoin(accounts, eq(accounts.id, orderComments.authorId))
    .where(eq(orderComments.orderId, orderId))
    .orderBy(asc(orderComments.id));
}

/** Who works the order's current stage entry, if anyone. */
export async function currentAssignee(db: Executor, orderId: number) {
  const [row] = await db
    .select({ entryId: stageEntries.id, accountId: stageEntries.assignedTo, name: accounts.name, assignedAt: stageEntries.assignedAt })
    .from(stageEntries)
    .leftJoin(accounts, eq(accounts.id, stageEntries.assignedTo))
    .where(and(eq(stageEntries.orderId, orderId), isNull(stageEntries.completedAt)));
  return row ?? null;
}
