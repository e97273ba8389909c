import { and, count, eq, isNull } from "drizzle-orm";
import type { Executor } from "../client";
import { notifications } from "../schema";

export async function unreadCount(db: Executor, accountId: number) {
  const [row] = await db.select({ n: count() }).from(notifications).where(and(eq(notifications.accountId, accountId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}
