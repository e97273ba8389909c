import { z } from "zod";
import type { InboxFilter } from "@/db/queries/notifications";
import { choiceParam, idParam, oneParam, pageParam } from "@/lib/forms/input";

/** The inbox's URL input (`/inbox?unread=1&rule=mention`): filters and the page, each bounded; anything unusable is left out. */
export const inboxFilterSchema = z.object({
  unread: choiceParam(["1"]),
  priority: choiceParam(["low", "normal", "high"]),
  /** A rule's id, or "mention" for mentions. */
  rule: z.union([z.preprocess(oneParam, z.literal("mention")), idParam]).optional().catch(undefined),
  page: pageParam(),
}) satisfies z.ZodType<InboxFilter>;

export const parseInboxFilter = (raw: Record<string, unknown>): InboxFilter => inboxFilterSchema.parse(raw);
