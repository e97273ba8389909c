import { z } from "zod";
import type { FiringLogQuery } from "@/db/queries/automation";
import { choiceParam, idParam, pageParam } from "@/lib/forms/input";

/** The rules page's firing log, as the URL gives it (`/admin/rules?rule=3&delivery=failed`); anything unusable is left out. */
export const firingLogSchema = z.object({
  rule: idParam,
  delivery: choiceParam(["pending", "sent", "failed"]),
  page: pageParam(),
}) satisfies z.ZodType<FiringLogQuery>;

export const parseFiringLog = (raw: Record<string, unknown>): FiringLogQuery => firingLogSchema.parse(raw);

/** The rule whose form the rules page opens (`/admin/rules?edit=3`): the others show as read, so the page stays light however many rules there are. */
export const parseRuleToEdit = (raw: Record<string, unknown>): number | undefined => idParam.parse(raw.edit);
