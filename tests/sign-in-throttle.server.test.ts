import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { and, eq, isNotNull } from "drizzle-orm";
import type { Connection } from "@/db/client";
import { accounts, auditLog, notifications, signInThrottle } from "@/db/schema";
import { attemptSignIn } from "@/lib/auth/sign-in";
import { THROTTLE, emailKey } from "@/lib/auth/throttle";
import { seedBase } from "@/lib/demo/seed";
import { onServer, testDatabase } from "./database";

/**
 * The password throttle under concurrent attempts (decision 016), on PostgreSQL: every failure is
 * counted, and each mark (a pair's lock, the email's slow-down and its alert) is crossed once.
 * PGlite is one connection, so this file runs only with DATABASE_URL (vitest.config.ts).
 */
describe("concurrent sign-in attempts on PostgreSQL", () => {
  beforeAll(() => {
    if (!onServer()) throw new Error("concurrency tests need DATABASE_URL (a PostgreSQL server)");
  });
  let conn: Connection;
  beforeAll(async () => {
    conn = await testDatabase();
    await seedBase(conn.db);
    vi.spyOn(console, "warn").mockImplementation(() => {}); // a line per failed attempt
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await conn.close();
  });

  const attempt = (email: string, ip: string) => attemptSignIn(conn.db, { email, password: "wrong password" }, ip, { wait: async () => {} });
  const audits = (kind: "signInLocked" | "signInSlowed", email: string) => conn.db.select().from(auditLog).where(and(eq(auditLog.kind, kind), eq(auditLog.email, email)));

  test("30 wrong passwords at once from one address: each counted, the pair locked once, the administrators alerted once", async () => {
    const outcomes = await Promise.all(Array.from({ length: 30 }, () => attempt("admin@example.com", "198.51.100.30")));
    const failed = outcomes.filter((o) => o.status === "invalid").length;
    console.log(`30 at once from one address: ${failed} checked and failed, ${30 - failed} refused as locked`);
    expect(failed).toBeGreaterThanOrEqual(THROTTLE.pairFailures);
    expect(outcomes.every((o) => o.status === "invalid" || o.status === "locked")).toBe(true);
    const [row] = await conn.db.select().from(signInThrottle).where(eq(signInThrottle.key, emailKey("admin@example.com")));
    expect(row.failures).toBe(failed);
    // The pair's lock once; the address's too, once, when 20 or more were checked.
    const locks = (await audits("signInLocked", "admin@example.com")).map((a) => a.after as { pair: boolean; address: boolean });
    expect(locks.filter((l) => l.pair)).toHaveLength(1);
    expect(locks.filter((l) => l.address)).toHaveLength(failed >= THROTTLE.addressFailures ? 1 : 0);
    expect(await audits("signInSlowed", "admin@example.com")).toHaveLength(1);
    const admins = await conn.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, "admin@example.com"));
    const alerts = await conn.db.select().from(notifications).where(isNotNull(notifications.aboutAccountId));
    expect(alerts.map((a) => a.accountId)).toEqual(admins.map((a) => a.id));
  });

  test("40 wrong passwords at once from 40 addresses: none locked out, the email slowed once", async () => {
    const outcomes = await Promise.all(Array.from({ length: 40 }, (_, i) => attempt("dispatch@example.com", `203.0.113.${i + 1}`)));
    expect(outcomes.map((o) => o.status)).toEqual(Array(40).fill("invalid"));
    const [row] = await conn.db.select().from(signInThrottle).where(eq(signInThrottle.key, emailKey("dispatch@example.com")));
    expect(row.failures).toBe(40);
    expect(await audits("signInLocked", "dispatch@example.com")).toHaveLength(0);
    expect(await audits("signInSlowed", "dispatch@example.com")).toHaveLength(1);
  });
});
