import { z } from "zod";
import type { AccountListFilter } from "@/db/queries/account-admin";
import { choiceParam, idParam, pageParam, searchParam } from "@/lib/forms/input";
import { roleKeys } from "@/lib/workflow";

/** /admin/users' URL input (`?q=…&role=…&store=…&status=…`): search text bounded and cleaned like any text; anything unusable is left out. */
export const accountListSchema = z.object({
  q: searchParam(200),
  role: choiceParam(roleKeys),
  store: idParam,
  status: choiceParam(["active", "inactive"]),
  page: pageParam(),
}) satisfies z.ZodType<AccountListFilter>;

export const parseAccountList = (raw: Record<string, unknown>): AccountListFilter => accountListSchema.parse(raw);
