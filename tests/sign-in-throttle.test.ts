import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { and, eq, isNotNull } from "drizzle-orm";
import type { Connection } from "@/db/client";
import { accounts, auditLog, devMailbox, notifications } from "@/db/schema";
import { TOO_MANY_PASSWORD_GUESSES, changeOwnPassword, resetPassword, unlockSignIn } from "@/lib/account-admin/commands";
import { loadActor } from "@/lib/auth/actor";
import { attemptSignIn } from "@/lib/auth/sign-in";
import { THROTTLE, emailThrottleState } from "@/lib/auth/throttle";
import { DEMO_PASSWORD, seedBase } from "@/lib/demo/seed";
import type { Actor } from "@/lib/workflow";
import { testDatabase } from "./database";

/**
 * Password throttling (decision 016), as an attacker and the account's owner meet it: failures
 * count per (email, address) and per address, each of which locks only itself; the email's own
 * failures from everywhere only make every attempt on it wait, so nobody can lock somebody else
 * out. Administrators hear when an administrator's sign-in is under attack and can unlock it.
 */

let conn: Connection;
let admin: Actor;
beforeAll(async () => {
  conn = await testDatabase();
  await seedBase(conn.db);
  admin = (await actorOf("admin@example.com"))!;
  vi.spyOn(console, "warn").mockImplementation(() => {}); // a line per failed attempt
});
afterAll(async () => {
  vi.restoreAllMocks();
  await conn.close();
});

async function actorOf(email: string) {
  const [row] = await conn.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, email));
  return loadActor(conn.db, row.id);
}

const t0 = new Date("2030-05-01T09:00:00Z");
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

/** Each attempt's waits, as the throttle asked for them (recorded, not slept). */
let waits: number[] = [];
const wait = async (ms: number) => void waits.push(ms);
const attempt = (email: string, password: string, ip: string, when: Date) => attemptSignIn(conn.db, { email, password }, ip, { now: when, wait });

describe("per (email, address)", () => {
  test("5 failures from one address lock that address out of the email, the right password included; the owner elsewhere still signs in", async () => {
    for (let i = 0; i < THROTTLE.pairFailures; i++) expect((await attempt("dispatch@example.com", "wrong password", "198.51.100.1", at(i))).status).toBe("invalid");
    expect((await attempt("dispatch@example.com", DEMO_PASSWORD, "198.51.100.1", at(5))).status).toBe("locked");
    expect((await attempt("Dispatch@Example.com ", DEMO_PASSWORD, "198.51.100.1", at(18))).status).toBe("locked");
    // The owner, at an address with no failures of its own: signed in, after the email's wait.
    waits = [];
    expect((await attempt("dispatch@example.com", DEMO_PASSWORD, "192.0.2.50", at(6))).status).toBe("ok");
    expect(waits).toEqual([THROTTLE.firstDelayMs]);
    // The lock runs out after 15 minutes.
    expect((await attempt("dispatch@example.com", DEMO_PASSWORD, "198.51.100.1", at(4 + 15))).status).toBe("ok");
  });

  test("nobody can lock somebody else out: 100 failures from 100 addresses only slow the email, up to 10 s an attempt", async () => {
    waits = [];
    for (let i = 0; i < 100; i++) expect((await attempt("production@example.com", "wrong password", `203.0.113.${i}`, at(30 + i * 0.1))).status).toBe("invalid");
    expect(waits.slice(0, 7)).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000]);
    expect(Math.max(...waits)).toBe(THROTTLE.maxDelayMs);
    expect(waits).toHaveLength(100 - THROTTLE.emailSlowAfter);
    waits = [];
    expect((await attempt("production@example.com", DEMO_PASSWORD, "192.0.2.51", at(41))).status).toBe("ok");
    expect(waits).toEqual([THROTTLE.maxDelayMs]);
  });

  test("an unknown email gets exactly the same answers and waits as a known one", async () => {
    const answers = async (email: string, net: number) => {
      waits = [];
      const out: string[] = [];
      for (let i = 0; i < 8; i++) out.push((await attempt(email, "wrong password", i < 6 ? `10.${net}.0.1` : `10.${net}.0.${i}`, at(100 + i))).status);
      return { out, waits };
    };
    const known = await answers("qc@example.com", 1);
    const unknown = await answers("nobody.here@example.com", 2);
    expect(known.out).toEqual(["invalid", "invalid", "invalid", "invalid", "invalid", "locked", "invalid", "invalid"]);
    expect(unknown).toEqual(known);
  });

  test("a successful sign-in clears the email's count and its address's pair", async () => {
    for (let i = 0; i < 4; i++) await attempt("ops@example.com", "wrong password", "10.3.0.1", at(200 + i));
    expect((await attempt("ops@example.com", DEMO_PASSWORD, "10.3.0.1", at(205))).status).toBe("ok");
    waits = [];
    for (let i = 0; i < 4; i++) expect((await attempt("ops@example.com", "wrong password", "10.3.0.1", at(206 + i))).status).toBe("invalid");
    expect((await attempt("ops@example.com", DEMO_PASSWORD, "10.3.0.1", at(211))).status).toBe("ok");
    expect(waits).toEqual([]);
  });

  test("failures older than the 15-minute window do not count", async () => {
    for (let i = 0; i < 4; i++) await attempt("store.north@example.com", "wrong password", "10.4.0.1", at(300 + i));
    // Sixteen minutes after the first failure the window has run out: counting starts again.
    expect((await attempt("store.north@example.com", "wrong password", "10.4.0.1", at(316))).status).toBe("invalid");
    expect((await attempt("store.north@example.com", DEMO_PASSWORD, "10.4.0.1", at(317))).status).toBe("ok");
  });
});

describe("per client address", () => {
  test("20 failures from one address lock it for every email, and only it", async () => {
    for (let i = 0; i < THROTTLE.addressFailures; i++) {
      expect((await attempt(`guess${i}@example.com`, "wrong password", "203.0.113.200", at(400 + i * 0.5))).status).toBe("invalid");
    }
    expect((await attempt("store.south@example.com", DEMO_PASSWORD, "203.0.113.200", at(411))).status).toBe("locked");
    expect((await attempt("store.south@example.com", DEMO_PASSWORD, "203.0.113.201", at(411))).status).toBe("ok");
  });

  test("input that is no email and password is an answer, counted against the address alone: a NUL, a number, a list, a huge string", async () => {
    const junk: unknown[] = [
      { email: "admin\u0000@example.com", password: "x" },
      { email: "admin@example.com\u0000", password: DEMO_PASSWORD },
      { email: 42, password: DEMO_PASSWORD },
      { email: ["admin@example.com"], password: DEMO_PASSWORD },
      { email: `${"a".repeat(100_000)}@example.com`, password: "x" },
      { email: "admin@example.com", password: "x".repeat(10_000) },
      { email: "admin@example.com" },
      null,
    ];
    const outcomes = [];
    for (let i = 0; i < THROTTLE.addressFailures; i++) outcomes.push((await attemptSignIn(conn.db, junk[i % junk.length], "203.0.113.210", { now: at(500), wait })).status);
    expect(outcomes).toEqual(Array(THROTTLE.addressFailures).fill("invalid"));
    expect((await attempt("admin@example.com", DEMO_PASSWORD, "203.0.113.210", at(501))).status).toBe("locked");
    // The email was never counted: the owner elsewhere signs in without waiting.
    waits = [];
    expect((await attempt("admin@example.com", DEMO_PASSWORD, "203.0.113.211", at(501))).status).toBe("ok");
    expect(waits).toEqual([]);
  });
});

describe("administrators", () => {
  test("when an administrator's sign-in starts to be slowed, every active administrator gets an inbox alert and its email, once", async () => {
    const [{ id: second }] = await conn.db
      .insert(accounts)
      .values({ name: "Ada Second", email: "ada.second@example.com", roles: ["admin"], passwordHash: "x" })
      .returning({ id: accounts.id });
    for (let i = 0; i < 8; i++) await attempt("admin@example.com", "wrong password", `198.51.100.${50 + i}`, at(600 + i));
    const alerts = await conn.db.select().from(notifications).where(isNotNull(notifications.aboutAccountId));
    expect(alerts.map((a) => a.accountId).sort()).toEqual([admin.id, second].sort());
    for (const a of alerts) {
      expect(a).toMatchObject({ aboutAccountId: admin.id, orderId: null, priority: "high", emailStatus: "sent" });
      expect(a.message).toMatch(/^Sign-in to the administrator .* \(admin@example\.com\) is being slowed: 5 wrong passwords in 15 minutes, the last from 198\.51\.100\.54\./);
    }
    const mail = await conn.db.select().from(devMailbox).where(eq(devMailbox.to, "ada.second@example.com"));
    expect(mail).toHaveLength(1);
    expect(mail[0].subject).toMatch(/^\[High priority\] Sign-in: Sign-in to the administrator/);
    expect(mail[0].text).toContain(`/admin/users/${admin.id}`);
    // A store manager under the same attack alerts nobody.
    for (let i = 0; i < 6; i++) await attempt("store.south@example.com", "wrong password", `198.51.100.${80 + i}`, at(600 + i));
    expect(await conn.db.select().from(notifications).where(isNotNull(notifications.aboutAccountId))).toHaveLength(2);
  });

  test("Unlock clears the wait and every address's lock on the account, audited; other accounts keep theirs", async () => {
    for (let i = 0; i < THROTTLE.pairFailures; i++) {
      await attempt("dispatch@example.com", "wrong password", "198.51.100.90", at(700 + i));
      await attempt("qc@example.com", "wrong password", "198.51.100.90", at(700 + i));
    }
    expect(await emailThrottleState(conn.db, "dispatch@example.com", at(706))).toMatchObject({ failures: 5, delayMs: 1_000, lockedAddresses: 1, active: true });
    const dispatchId = (await actorOf("dispatch@example.com"))!.id;
    const unlocked = await unlockSignIn({ db: conn.db, actor: admin, now: at(706) }, { accountId: String(dispatchId) });
    expect(unlocked).toEqual({ ok: true, cleared: 2 });
    expect((await emailThrottleState(conn.db, "dispatch@example.com", at(706))).active).toBe(false);
    waits = [];
    expect((await attempt("dispatch@example.com", DEMO_PASSWORD, "198.51.100.90", at(707))).status).toBe("ok");
    expect(waits).toEqual([]);
    expect((await attempt("qc@example.com", DEMO_PASSWORD, "198.51.100.90", at(707))).status).toBe("locked");
    const [entry] = await conn.db.select().from(auditLog).where(and(eq(auditLog.kind, "signInUnlocked"), eq(auditLog.accountId, dispatchId)));
    expect(entry).toMatchObject({ actorId: admin.id, email: "dispatch@example.com", after: { cleared: 2 } });
  });

  test("a password reset by an administrator clears the account's throttle too", async () => {
    for (let i = 0; i < THROTTLE.pairFailures; i++) await attempt("qc@example.com", "wrong password", "198.51.100.91", at(800 + i));
    const qc = (await actorOf("qc@example.com"))!;
    expect(await resetPassword({ db: conn.db, actor: admin }, { accountId: String(qc.id), password: "a brand new password" })).toEqual({ ok: true });
    waits = [];
    expect((await attempt("qc@example.com", "a brand new password", "198.51.100.91", at(806))).status).toBe("ok");
    expect(waits).toEqual([]);
  });
});

describe("the current password on the account page", () => {
  test("25 wrong guesses in a row: the first 5 are checked, then the address is locked out, the right password included", async () => {
    const ops = (await actorOf("ops@example.com"))!;
    const ctx = { db: conn.db, actor: ops, clientAddress: "198.51.100.120", now: at(900) };
    const answers: string[] = [];
    for (let i = 0; i < 25; i++) {
      const result = await changeOwnPassword(ctx, { currentPassword: `guess number ${i}`, newPassword: "ops new password!", confirmPassword: "ops new password!" }, { wait });
      answers.push(result.ok ? "changed" : (result.fieldErrors?.currentPassword?.[0] ?? "?"));
    }
    expect(answers).toEqual([...Array(5).fill("That is not your current password"), ...Array(20).fill(TOO_MANY_PASSWORD_GUESSES)]);
    const right = { currentPassword: DEMO_PASSWORD, newPassword: "ops new password!", confirmPassword: "ops new password!" };
    expect((await changeOwnPassword(ctx, right, { wait })).ok).toBe(false);
    const failed = await conn.db.select().from(auditLog).where(and(eq(auditLog.kind, "passwordCheckFailed"), eq(auditLog.accountId, ops.id)));
    expect(failed).toHaveLength(5);
    // The same person at another address (the owner after a stolen session): checked, after the wait.
    waits = [];
    expect(await changeOwnPassword({ ...ctx, clientAddress: "192.0.2.60" }, right, { wait })).toEqual({ ok: true });
    expect(waits).toEqual([THROTTLE.firstDelayMs]);
  });
});

test("attempts, failures, locks and slow-downs are in the audit log, without the password", async () => {
  const rows = await conn.db.select().from(auditLog).where(eq(auditLog.email, "qc@example.com"));
  expect(rows.filter((r) => r.kind === "signInLocked").length).toBeGreaterThanOrEqual(2);
  expect(rows.filter((r) => r.kind === "signInSlowed").length).toBeGreaterThanOrEqual(1);
  expect(JSON.stringify(rows)).not.toContain("wrong password");
  const ok = await conn.db.select().from(auditLog).where(eq(auditLog.kind, "signIn"));
  expect(ok.length).toBeGreaterThanOrEqual(3);
});
