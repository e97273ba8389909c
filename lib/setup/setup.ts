import "server-only";
import { and, arrayContains, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "@/db/client";
import { accounts, automationRules, shopSettings, stores, workCalendars } from "@/db/schema";
import { generatePassword, passwordProblem } from "@/lib/account-admin/commands";
import { emailSchema, passwordSchema } from "@/lib/account-admin/schemas";
import { recordAudit } from "@/lib/audit/record";
import { hashPassword } from "@/lib/auth/password";
import { defaultRules } from "@/lib/automation/defaults";
import { textSchema } from "@/lib/forms/input";
import { timeZoneSchema } from "@/lib/forms/time-zones";

/**
 * `npm run setup`: makes an empty production database ready for a shop, and never adds demo
 * data. It creates the first administrator (a typed password, or one generated and shown
 * once), records the shop's time zone, creates the stores and, on the first run, the shop's
 * working calendar (Monday to Friday, 08:00–17:00, changed at /admin/calendars) and the card's
 * two rules with the seeded defaults (lib/automation/defaults.ts). Everything is one transaction, and
 * running it again changes only what it is told: an existing administrator keeps their password,
 * an existing store (same code or name) keeps its name, and rules an administrator deleted or
 * changed since stay as they are.
 */

const STORE_CODE = /^[a-z0-9][a-z0-9-]{1,31}$/;

/** `CODE-OR-NAME:ZONE` as typed on the command line ("North:Europe/Berlin", "east-side:UTC"). */
export const storeArgSchema = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const at = value.lastIndexOf(":");
    const label = (at < 0 ? value : value.slice(0, at)).trim();
    const zone = at < 0 ? "" : value.slice(at + 1).trim();
    const code = STORE_CODE.test(label) ? label : label.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 32);
    const name = STORE_CODE.test(label) ? label.charAt(0).toUpperCase() + label.slice(1).replace(/-/g, " ") : label;
    if (!STORE_CODE.test(code)) {
      ctx.addIssue({ code: "custom", message: `"${value}": name the store with letters or digits, e.g. "North:Europe/Berlin"` });
      return z.NEVER;
    }
    const parsedZone = timeZoneSchema.safeParse(zone);
    if (!parsedZone.success) {
      ctx.addIssue({ code: "custom", message: `"${value}": "${zone}" is not a time zone; write CODE-OR-NAME:ZONE, e.g. "North:Europe/Berlin"` });
      return z.NEVER;
    }
    return { code, name, timeZone: parsedZone.data };
  });

export const setupSchema = z.object({
  adminEmail: emailSchema,
  adminName: textSchema({ min: 1, max: 200, singleLine: true, tooShort: "Enter a name", tooLong: "Keep the name under 200 characters", notText: "Enter a name" }).default("Administrator"),
  /** Absent: one is generated and shown once. */
  adminPassword: passwordSchema.optional(),
  timeZone: timeZoneSchema,
  stores: z.array(storeArgSchema).default([]),
});
export type SetupInput = z.input<typeof setupSchema>;

export type SetupReport = {
  admin: { email: string; created: boolean; generatedPassword?: string };
  timeZone: { value: string; changed: boolean };
  stores: { code: string; name: string; timeZone: string; status: "created" | "zone changed" | "unchanged" }[];
  rulesAdded: number;
  /** The shop's working hours as set on the first run, or null when left as they were. */
  calendarAdded: string | null;
  firstRun: boolean;
};

export type SetupResult = { ok: true; report: SetupReport } | { ok: false; problems: string[] };

export async function setupShop(db: Db, input: SetupInput, now = new Date()): Promise<SetupResult> {
  const parsed = setupSchema.safeParse(input);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`) };
  const { adminEmail, adminName, timeZone } = parsed.data;
  const password = parsed.data.adminPassword ?? generatePassword();
  const problem = passwordProblem(password, adminEmail, true);
  if (problem) return { ok: false, problems: [`adminPassword: ${problem}`] };
  const passwordHash = await hashPassword(password);

  const report = await db.transaction(async (tx): Promise<SetupReport> => {
    // One setup at a time (two operators, or a script run twice at once).
    await tx.execute(sql`select pg_advisory_xact_lock(7304190120)`);
    const [shop] = await tx.select().from(shopSettings).where(eq(shopSettings.id, 1));
    const firstRun = !shop;
    if (!shop) await tx.insert(shopSettings).values({ id: 1, timeZone, createdAt: now, updatedAt: now });
    else if (shop.timeZone !== timeZone) await tx.update(shopSettings).set({ timeZone, updatedAt: now }).where(eq(shopSettings.id, 1));

    const [existing] = await tx.select({ id: accounts.id, roles: accounts.roles }).from(accounts).where(sql`lower(${accounts.email}) = ${adminEmail}`);
    let created = false;
    if (!existing) {
      const [account] = await tx
        .insert(accounts)
        .values({ email: adminEmail, name: adminName, roles: ["admin"], passwordHash, passwordChangedAt: now, timeZone })
        .returning({ id: accounts.id });
      await recordAudit(tx, { kind: "accountCreated", actorId: null, accountId: account.id, email: adminEmail, after: { name: adminName, roles: ["admin"], storeIds: [], active: true, by: "npm run setup" }, at: now });
      created = true;
    } else if (!existing.roles.includes("admin")) {
      const [other] = await tx.select({ id: accounts.id }).from(accounts).where(and(eq(accounts.active, true), arrayContains(accounts.roles, ["admin"])));
      if (!other) throw new SetupRefused(`${adminEmail} exists and is not an administrator; give the administrator another email`);
    }

    const storeReport: SetupReport["stores"] = [];
    for (const s of parsed.data.stores) {
      const [found] = await tx.select().from(stores).where(sql`${stores.code} = ${s.code} or lower(${stores.name}) = ${s.name.toLowerCase()}`);
      if (!found) {
        const [store] = await tx.insert(stores).values(s).returning();
        await recordAudit(tx, { kind: "storeCreated", actorId: null, storeId: store.id, after: { code: s.code, name: s.name, timeZone: s.timeZone, by: "npm run setup" }, at: now });
        storeReport.push({ ...s, status: "created" });
      } else if (found.timeZone !== s.timeZone) {
        await tx.update(stores).set({ timeZone: s.timeZone }).where(eq(stores.id, found.id));
        await recordAudit(tx, { kind: "storeChanged", actorId: null, storeId: found.id, before: { timeZone: found.timeZone }, after: { timeZone: s.timeZone, by: "npm run setup" }, at: now });
        storeReport.push({ code: found.code, name: found.name, timeZone: s.timeZone, status: "zone changed" });
      } else {
        storeReport.push({ code: found.code, name: found.name, timeZone: found.timeZone, status: "unchanged" });
      }
    }

    // Only on the first run: a default an administrator deleted later is not brought back.
    const added = firstRun ? await tx.insert(automationRules).values(defaultRules).onConflictDoNothing().returning({ id: automationRules.id }) : [];
    // Likewise the shop's calendar: without one, the shop's stage clocks would run through nights
    // and weekends (SPEC.md, "Clocks that follow the plan and the calendar").
    const calendar = firstRun ? await tx.insert(workCalendars).values({ storeId: null, week: shopWeek, holidays: [], updatedAt: now }).onConflictDoNothing().returning({ id: workCalendars.id }) : [];
    if (calendar.length) await recordAudit(tx, { kind: "calendarChanged", actorId: null, storeId: null, before: null, after: { week: shopWeek, holidays: [], by: "npm run setup" }, at: now });
    return {
      admin: { email: adminEmail, created, ...(created && !parsed.data.adminPassword ? { generatedPassword: password } : {}) },
      timeZone: { value: timeZone, changed: !firstRun && shop.timeZone !== timeZone },
      stores: storeReport,
      rulesAdded: added.length,
      calendarAdded: calendar.length ? SHOP_HOURS : null,
      firstRun,
    };
  }).catch((error) => {
    if (error instanceof SetupRefused) return error;
    throw error;
  });
  if (report instanceof SetupRefused) return { ok: false, problems: [report.message] };
  return { ok: true, report };
}

class SetupRefused extends Error {}

const SHOP_HOURS = "Monday to Friday, 08:00–17:00";
/** Sunday first, as work_calendars stores a week. */
const shopWeek = [null, ...Array.from({ length: 5 }, () => ({ open: "08:00", close: "17:00" })), null];
