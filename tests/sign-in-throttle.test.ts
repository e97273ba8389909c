import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { eq } from "drizzle-orm";
import type { Connection } from "@/db/client";
import { auditLog } from "@/db/schema";
import { attemptSignIn } from "@/lib/auth/sign-in";
import { THROTTLE } from "@/lib/auth/throttle";
import { DEMO_PASSWORD, seedBase } from "@/lib/demo/seed";
import { testDatabase } from "./database";

/** Sign-in throttling (SPEC.md): 5 failures per email or 20 per address in 15 minutes lock for 15 minutes. */

let conn: Connection;
beforeAll(async () => {
  conn = await testDatabase();
  await seedBase(conn.db);
});
afterAll(() => conn.close());

const t0 = new Date("2030-05-01T09:00:00Z");
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const attempt = (email: string, password: string, ip: string, when: Date) => attemptSignIn(conn.db, { email, password }, ip, when);

describe("per email", () => {
  test("5 failures lock the email, the right password included, for 15 minutes; then it signs in", async () => {
    for (let i = 0; i < THROTTLE.emailFailures; i++) expect((await attempt("dispatch@example.com", "wrong password", `10.0.0.${i}`, at(i))).status).toBe("invalid");
    expect((await attempt("dispatch@example.com", DEMO_PASSWORD, "10.0.1.1", at(5))).status).toBe("locked");
    expect((await attempt("Dispatch@Example.com ", DEMO_PASSWORD, "10.0.1.2", at(18))).status).toBe("locked");
    expect((await attempt("dispatch@example.com", DEMO_PASSWORD, "10.0.1.3", at(4 + 15))).status).toBe("ok");
  });

  test("an unknown email gets exactly the same answers as a known one", async () => {
    const answers = async (email: string, base: number) => {
      const out: string[] = [];
      for (let i = 0; i < 6; i++) out.push((await attempt(email, "wrong password", `10.1.${base}.${i}`, at(100 + i))).status);
      return out;
    };
    const known = await answers("production@example.com", 1);
    const unknown = await answers("nobody.here@example.com", 2);
    expect(known).toEqual(["invalid", "invalid", "invalid", "invalid", "invalid", "locked"]);
    expect(unknown).toEqual(known);
  });

  test("a successful sign-in clears the email's count", async () => {
    for (let i = 0; i < 4; i++) await attempt("qc@example.com", "wrong password", "10.2.0.1", at(200 + i));
    expect((await attempt("qc@example.com", DEMO_PASSWORD, "10.2.0.1", at(205))).status).toBe("ok");
    for (let i = 0; i < 4; i++) expect((await attempt("qc@example.com", "wrong password", "10.2.0.2", at(206 + i))).status).toBe("invalid");
    expect((await attempt("qc@example.com", DEMO_PASSWORD, "10.2.0.2", at(211))).status).toBe("ok");
  });

  test("failures older than the 15-minute window do not count", async () => {
    for (let i = 0; i < 4; i++) await attempt("ops@example.com", "wrong password", "10.3.0.1", at(300 + i));
    // Sixteen minutes after the first failure the window has run out: counting starts again.
    expect((await attempt("ops@example.com", "wrong password", "10.3.0.1", at(316))).status).toBe("invalid");
    expect((await attempt("ops@example.com", DEMO_PASSWORD, "10.3.0.1", at(317))).status).toBe("ok");
  });
});

describe("per client address", () => {
  test("20 failures from one address lock it for every email, and only it", async () => {
    for (let i = 0; i < THROTTLE.addressFailures; i++) {
      expect((await attempt(`guess${i}@example.com`, "wrong password", "203.0.113.9", at(400 + i * 0.5))).status).toBe("invalid");
    }
    expect((await attempt("admin@example.com", DEMO_PASSWORD, "203.0.113.9", at(411))).status).toBe("locked");
    expect((await attempt("admin@example.com", DEMO_PASSWORD, "203.0.113.10", at(411))).status).toBe("ok");
  });
});

test("attempts, failures and lockouts are in the audit log, without the password", async () => {
  const rows = await conn.db.select().from(auditLog).where(eq(auditLog.email, "production@example.com"));
  expect(rows.filter((r) => r.kind === "signInFailed")).toHaveLength(5);
  expect(rows.filter((r) => r.kind === "signInLocked")).toHaveLength(1);
  expect(JSON.stringify(rows)).not.toContain("wrong password");
  const ok = await conn.db.select().from(auditLog).where(eq(auditLog.kind, "signIn"));
  expect(ok.length).toBeGreaterThanOrEqual(3);
});
