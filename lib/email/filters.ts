import { z } from "zod";
import { idParam, pageParam } from "@/lib/forms/input";

/** The development mailbox's URL input: the email shown and the page of the list. */
export const mailboxQuerySchema = z.object({ id: idParam, page: pageParam() });
export type MailboxQuery = z.infer<typeof mailboxQuerySchema>;

export const parseMailboxQuery = (raw: Record<string, unknown>): MailboxQuery => mailboxQuerySchema.parse(raw);
