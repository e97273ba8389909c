import { z } from "zod";
import { type AuditFilter, auditKinds } from "@/db/queries/audit";
import { choiceParam, dayParam, idParam, pageParam } from "@/lib/forms/input";
import { addDays, startOfLocalDay } from "@/lib/time/zones";

/**
 * The audit log's URL input (`/admin/audit?account=3&kind=signIn&from=…&to=…`): days as the
 * viewer reads them, both included; anything unusable (a day outside the stored years, an
 * unknown kind) is left out.
 */
export const auditQuerySchema = z.object({
  account: idParam,
  kind: choiceParam(auditKinds),
  from: dayParam,
  to: dayParam,
  page: pageParam(),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

/** The URL's filters as the form shows them (`query`), and as the log is read: the days' instants in the viewer's `zone`. */
export function parseAuditFilter(raw: Record<string, unknown>, zone: string): { query: AuditQuery; filter: AuditFilter } {
  const query = auditQuerySchema.parse(raw);
  const { from, to, ...rest } = query;
  return {
    query,
    filter: { ...rest, start: from ? startOfLocalDay(from, zone) : undefined, end: to ? startOfLocalDay(addDays(to, 1), zone) : undefined },
  };
}
