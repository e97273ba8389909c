import "server-only";
import { type SQL, and, count, desc, eq, gte, lt, or } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import { idSchema } from "@/lib/workflow";
import type { Executor } from "../client";
import { type AuditKind, accounts, auditLog, stores } from "../schema";

/** Every kind of audit entry, with the words the audit page uses for it. */
export const auditKindLabels = {
  signIn: "Signed in",
  signInFailed: "Sign-in failed",
  signInLocked: "Sign-in locked",
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
} as const satisfies Record<AuditKind, string>;
export const auditKinds = Object.keys(auditKindLabels) as [AuditKind, ...AuditKind[]];

/** A calendar day as YYYY-MM-DD that is a real date (no 2025-02-30): it must survive the round trip. */
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  });

export const auditQuerySchema = z.object({
  account: idSchema.optional().catch(undefined),
  kind: z.enum(auditKinds).optional().catch(undefined),
  from: day.optional().catch(undefined),
  to: day.optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).catch(1),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;
export const AUDIT_PAGE_SIZE = 50;

const DAY_MS = 24 * 60 * 60 * 1000;
const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

/** How far `zone`'s wall clock is ahead of UTC at instant `t`, in milliseconds. */
function zoneOffset(t: number, zone: string) {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" }).formatToParts(t);
  const p = Object.fromEntries(parts.map((x) => [x.type, Number(x.value)]));
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(t / 1000) * 1000;
}

/** The instant a calendar day begins in a time zone; the offset is read again at that instant, for daylight-saving days. */
function dayStartIn(day: string, zone: string): Date {
  const wall = Date.parse(`${day}T00:00:00Z`);
  const first = wall - zoneOffset(wall, zone);
  return new Date(wall - zoneOffset(first, zone));
}

const actor = alias(accounts, "actor");
const subject = alias(accounts, "subject");

/**
 * The audit log, newest first, 50 a page: who acted, on which account or store. `account` keeps
 * the entries the account made or was the subject of; `from` and `to` are days in `zone` (the
 * viewer's), both included.
 */
export async function listAudit(db: Executor, query: AuditQuery, zone = "UTC") {
  const conditions: (SQL | undefined)[] = [
    query.account ? or(eq(auditLog.actorId, query.account), eq(auditLog.accountId, query.account)) : undefined,
    query.kind ? eq(auditLog.kind, query.kind) : undefined,
    query.from ? gte(auditLog.at, dayStartIn(query.from, zone)) : undefined,
    query.to ? lt(auditLog.at, dayStartIn(nextDay(query.to), zone)) : undefined,
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
