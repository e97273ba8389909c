import "server-only";
import { and, arrayOverlaps, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { accounts, notifications } from "@/db/schema";
import { grants, isAdministrator } from "@/lib/workflow";
import { THROTTLE } from "./throttle";
import { notifyInboxes } from "@/db/notify";

/**
 * When an administrator's sign-in starts to be slowed (THROTTLE.emailSlowAfter wrong passwords
 * in the window, from anywhere), every active administrator is alerted: an inbox alert about
 * the account, and its email through the outbox like every other alert (decision 006). Sent
 * alone and at once, whatever the recipients' email choices: it is about the shop's keys.
 * Returns how many were alerted.
 */
export async function alertAdminsOfSlowedSignIn(db: Executor, email: string, address: string, now: Date): Promise<number> {
  const [target] = await db
    .select({ id: accounts.id, name: accounts.name, roles: accounts.roles, active: accounts.active })
    .from(accounts)
    .where(eq(accounts.email, email));
  if (!target?.active || !isAdministrator(target.roles)) return 0;
  const admins = await db
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.active, true), arrayOverlaps(accounts.roles, [...grants.manageAccounts])));
  if (!admins.length) return 0;
  const minutes = THROTTLE.windowMs / 60_000;
  const message = `Sign-in to the administrator ${target.name} (${email}) is being slowed: ${THROTTLE.emailSlowAfter} wrong passwords in ${minutes} minutes, the last from ${address}. If it was not them, reset the password; if it was, unlock it.`;
  await db.insert(notifications).values(
    admins.map((admin) => ({ accountId: admin.id, aboutAccountId: target.id, message, priority: "high" as const, createdAt: now, emailMode: "immediate" as const })),
  );
  await notifyInboxes(db, admins.map((a) => a.id));
  return admins.length;
}
