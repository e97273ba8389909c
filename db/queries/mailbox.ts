import "server-only";
import { count, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { idParam, pageParam } from "@/lib/forms/input";
import type { Executor } from "../client";
import { devMailbox } from "../schema";

export const MAILBOX_PAGE_SIZE = 30;

/** The mailbox page's URL query: the email shown and the page of the list. */
export const mailboxQuerySchema = z.object({ id: idParam, page: pageParam() });

export async function listMailbox(db: Executor, page = 1) {
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({ id: devMailbox.id, to: devMailbox.to, subject: devMailbox.subject, createdAt: devMailbox.createdAt })
      .from(devMailbox)
      .orderBy(desc(devMailbox.createdAt), desc(devMailbox.id))
      .limit(MAILBOX_PAGE_SIZE)
      .offset((page - 1) * MAILBOX_PAGE_SIZE),
    db.select({ total: count() }).from(devMailbox),
  ]);
  return { rows, total };
}

export async function mailboxEmail(db: Executor, id: number) {
  const [row] = await db.select().from(devMailbox).where(eq(devMailbox.id, id));
  return row ?? null;
}
