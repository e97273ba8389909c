import "server-only";
import { type SQL, and, count, desc, eq, gte, lt, or } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor } from "../client";
import { type AuditKind, accounts, auditLog, stores } from "../schema";

/** Every kind of audit entry, with the words the audit page uses for it. */
export const auditKindLabels = {
  signIn: "Signed in",
  signInFailed: "Sign-in failed",
  signInLocked: "Sign-in locked",
  signInSlowed: "Sign-in slowed",
  signInUnlocked: "Sign-in unlocked",
  passwordCheckFailed: "Wrong current password",
  signOut: "Signed out",
  signOutEverywhere: "Signed out everywhere",
  accountCreated: "Account created",
  accountChanged: "Account changed",
  passwordChanged: "Password changed",
  passwordReset: "Password reset",
  storeCreated: "Store created",
  storeChanged: "Store changed",
  storeArchived: "Store archived",
  storeRestored: "Store restored",
  ruleChanged: "Automation rule changed",
  ruleCreated: "Automation rule created",
  ruleDeleted: "Automation rule deleted",
  apiKeyCreated: "API key created",
  apiKeyRevoked: "API key revoked",
  apiWrite: "Change through the API",
  webhookEndpointCreated: "Webhook endpoint added",
  webhookEndpointChanged: "Webhook endpoint changed",
  webhookSecretRotated: "Webhook secret rotated",
  webhookEndpointDisabled: "Webhook endpoint disabled",
  calendarChanged: "Working calendar changed",
  capacityChanged: "Production capacity changed",
  ruleRestored: "Automation rule restored",
  failReasonCreated: "Fail reason added",
  failReasonChanged: "Fail reason changed",
  failReasonArchived: "Fail reason archived",
  failReasonRestored: "Fail reason restored",
} as const satisfies Record<AuditKind, string>;
export const auditKinds = Object.keys(auditKindLabels) as [AuditKind, ...AuditKind[]];

/**
 * The audit log's filters, as lib/audit/filters.ts parses them from the URL: the viewer's days
 * already turned into instants (`start` inclusive, `end` exclusive).
 */
export type AuditFilter = { account?: number; kind?: AuditKind; start?: Date; end?: Date; page: number };
export const AUDIT_PAGE_SIZE = 50;

const actor = alias(accounts, "actor");
const subject = alias(accounts, "subject");

/**
 * The audit log, newest first, 50 a page: who acted, on which account or store. `account` keeps
 * the entries the account made or was the subject of.
 */
export async function listAudit(db: Executor, query: AuditFilter) {
  const conditions: (SQL | undefined)[] = [
    query.account ? or(eq(auditLog.actorId, query.account), eq(auditLog.accountId, query.account)) : undefined,
    query.kind ? eq(auditLog.kind, query.kind) : undefined,
    query.start ? gte(auditLog.at, query.start) : undefined,
    query.end ? lt(auditLog.at, query.end) : undefined,
  ];
  const where = and(...conditions);
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({
        id: auditLog.id,
        at: auditLog.at,
        kind: auditLog.kind,
        actorId: auditLog.actorId,
        actorName: actor.name,
        accountId: auditLog.accountId,
        accountName: subject.name,
        accountEmail: subject.email,
        storeId: auditLog.storeId,
        storeName: stores.name,
        email: auditLog.email,
        ip: auditLog.ip,
        before: auditLog.before,
        after: auditLog.after,
      })
      .from(auditLog)
      .leftJoin(actor, eq(actor.id, auditLog.actorId))
      .leftJoin(subject, eq(subject.id, auditLog.accountId))
      .leftJoin(stores, eq(stores.id, auditLog.storeId))
      .where(where)
      .orderBy(desc(auditLog.at), desc(auditLog.id))
      .limit(AUDIT_PAGE_SIZE)
      .offset((query.page - 1) * AUDIT_PAGE_SIZE),
    db.select({ total: count() }).from(auditLog).where(where),
  ]);
  return { rows, total };
}
export type AuditRow = Awaited<ReturnType<typeof listAudit>>["rows"][number];
