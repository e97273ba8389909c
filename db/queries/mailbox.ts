import "server-only";
import { type SQL, count, desc, eq } from "drizzle-orm";
import type { Executor } from "../client";
import { devMailbox } from "../schema";

export const MAILBOX_PAGE_SIZE = 30;


/** Whose emails an account may read in the development mailbox: its own, or all (readAllMail). */
export type MailboxScope = { all: true } | { all: false; email: string };
const scoped = (scope: MailboxScope): SQL | undefined => (scope.all ? undefined : eq(devMailbox.to, scope.email));

export async function listMailbox(db: Executor, scope: MailboxScope, page = 1) {
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({ id: devMailbox.id, to: devMailbox.to, subject: devMailbox.subject, createdAt: devMailbox.createdAt })
      .from(devMailbox)
      .where(scoped(scope))
      .orderBy(desc(devMailbox.createdAt), desc(devMailbox.id))
      .limit(MAILBOX_PAGE_SIZE)
      .offset((page - 1) * MAILBOX_PAGE_SIZE),
    db.select({ total: count() }).from(devMailbox).where(scoped(scope)),
  ]);
  return { rows, total };
}

/** One email, or null when it does not exist or is not the account's to read. */
export async function mailboxEmail(db: Executor, scope: MailboxScope, id: number) {
  const [row] = await db.select().from(devMailbox).where(eq(devMailbox.id, id));
  if (!row || (!scope.all && row.to !== scope.email)) return null;
  return row;
}
