import "server-only";
import type { Executor } from "@/db/client";
import { type AuditKind, auditLog } from "@/db/schema";

export type AuditEntry = {
  kind: AuditKind;
  actorId?: number | null;
  accountId?: number | null;
  storeId?: number | null;
  email?: string | null;
  ip?: string | null;
  before?: unknown;
  after?: unknown;
  at?: Date;
};

/** Appends to the audit log; written in the same transaction as the change it records. */
export async function recordAudit(db: Executor, entry: AuditEntry) {
  await db.insert(auditLog).values({
    kind: entry.kind,
    actorId: entry.actorId ?? null,
    accountId: entry.accountId ?? null,
    storeId: entry.storeId ?? null,
    email: entry.email ?? null,
    ip: entry.ip ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
    ...(entry.at ? { at: entry.at } : {}),
  });
}
