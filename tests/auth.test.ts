import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { eq, sql } from "drizzle-orm";
import type { Connection } from "@/db/client";
import { accounts } from "@/db/schema";
import { DEMO_PASSWORD, demoAccounts, seedBase } from "@/lib/demo/seed";
import { endSessions, endSessionsFrom, loadActor } from "@/lib/auth/actor";
import { sessionActor } from "@/lib/auth/live-session";
import { verifyCredentials } from "@/lib/auth/sign-in";
import { isPublicPath, redirectOnOrigin, safeCallbackUrl } from "@/lib/auth/config";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { testDatabase } from "./database";

let conn: Connection;
beforeAll(async () => {
  conn = await testDatabase();
  await seedBase(conn.db);
});
afterAll(() => conn.close());

const idOf = async (email: string) => {
  const [row] = await conn.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.email, email));
  return row.id;
};

describe("verifyCredentials", () => {
  test("the right password signs in and gives the account id", async () => {
    const account = await verifyCredentials(conn.db, { email: "dispatch@example.com", password: DEMO_PASSWORD });
    expect(account).toEqual({ id: String(await idOf("dispatch@example.com")), name: "Dana Dispatch", email: "dispatch@example.com", sessionVersion: 1 });
  });

  test("every demo account signs in with the demo password", async () => {
    for (const a of demoAccounts) {
      expect(await verifyCredentials(conn.db, { email: a.email, password: DEMO_PASSWORD }), a.email).not.toBeNull();
    }
  });

  test("a wrong password is refused", async () => {
    expect(await verifyCredentials(conn.db, { email: "dispatch@example.com", password: "makeline-demo!" })).toBeNull();
    expect(await verifyCredentials(conn.db, { email: "dispatch@example.com", password: "MAKELINE-DEMO" })).toBeNull();
  });

  test("an unknown email is refused", async () => {
    expect(await verifyCredentials(conn.db, { email: "nobody@example.com", password: DEMO_PASSWORD })).toBeNull();
  });

  test("the email is matched whatever its case and surrounding spaces", async () => {
    const account = await verifyCredentials(conn.db, { email: "  Dispatch@EXAMPLE.com ", password: DEMO_PASSWORD });
    expect(account?.email).toBe("dispatch@example.com");
  });

  test("malformed input is refused, not thrown", async () => {
    for (const input of [null, undefined, {}, { email: "dispatch@example.com" }, { email: "not an email", password: DEMO_PASSWORD }, { email: "dispatch@example.com", password: "" }]) {
      expect(await verifyCredentials(conn.db, input)).toBeNull();
    }
  });
});

describe("the account is read from the database on every request", () => {
  test("a deactivated account is refused at once, and restored at once", async () => {
    const id = await idOf("qc@example.com");
    expect(await loadActor(conn.db, id)).not.toBeNull();

    await conn.db.update(accounts).set({ active: false }).where(eq(accounts.id, id));
    expect(await verifyCredentials(conn.db, { email: "qc@example.com", password: DEMO_PASSWORD })).toBeNull();
    expect(await loadActor(conn.db, id)).toBeNull();

    await conn.db.update(accounts).set({ active: true }).where(eq(accounts.id, id));
    expect(await loadActor(conn.db, id)).not.toBeNull();
    expect(await verifyCredentials(conn.db, { email: "qc@example.com", password: DEMO_PASSWORD })).not.toBeNull();
  });

  test("a role change takes effect at once", async () => {
    const id = await idOf("production@example.com");
    expect((await loadActor(conn.db, id))?.roles).toEqual(["productionTeam"]);

    await conn.db.update(accounts).set({ roles: ["productionTeam", "qualityControl"] }).where(eq(accounts.id, id));
    expect((await loadActor(conn.db, id))?.roles).toEqual(["productionTeam", "qualityControl"]);

    await conn.db.update(accounts).set({ roles: ["ops"] }).where(eq(accounts.id, id));
    expect((await loadActor(conn.db, id))?.roles).toEqual(["ops"]);
  });

  test("store scope comes with the actor: a store manager has their store, the others none", async () => {
    const north = await loadActor(conn.db, await idOf("store.north@example.com"));
    const south = await loadActor(conn.db, await idOf("store.south@example.com"));
    expect(north).toMatchObject({ email: "store.north@example.com", roles: ["storeManager"] });
    expect(north?.storeIds).toHaveLength(1);
    expect(south?.storeIds).toHaveLength(1);
    expect(north?.storeIds[0]).not.toBe(south?.storeIds[0]);
    expect((await loadActor(conn.db, await idOf("admin@example.com")))?.storeIds).toEqual([]);
  });

  test("an id that does not exist is no actor", async () => {
    expect(await loadActor(conn.db, 2_000_000_000)).toBeNull();
  });
});

describe("a session's token, as every reader checks it (Auth.js's endpoints included)", () => {
  const hour = 60 * 60_000;
  const now = Date.parse("2030-05-01T12:00:00Z");

  test("live: the account's current version, signed in less than 12 hours ago", async () => {
    const id = await idOf("ops@example.com");
    const [{ version }] = await conn.db.select({ version: accounts.sessionVersion }).from(accounts).where(eq(accounts.id, id));
    expect(await sessionActor(conn.db, { accountId: String(id), sessionVersion: version, signedInAt: now - 11 * hour }, now)).toMatchObject({ id, email: "ops@example.com" });
    // Ended: an older version, more than 12 hours since sign-in, no sign-in time, or a sign-in time from the future.
    for (const claims of [
      { accountId: String(id), sessionVersion: version - 1, signedInAt: now - hour },
      { accountId: String(id), sessionVersion: version, signedInAt: now - 12 * hour - 1 },
      { accountId: String(id), sessionVersion: version },
      { accountId: String(id), sessionVersion: version, signedInAt: now + hour },
      { accountId: "0", sessionVersion: version, signedInAt: now },
      {},
    ]) {
      expect(await sessionActor(conn.db, claims, now), JSON.stringify(claims)).toBeNull();
    }
  });

  test("sign-out ends the account's sessions only from a live session: a revoked cookie posted to sign out ends nothing", async () => {
    const id = await idOf("production@example.com");
    const [{ version }] = await conn.db.select({ version: accounts.sessionVersion }).from(accounts).where(eq(accounts.id, id));
    await endSessions(conn.db, id); // the session holding `version` has ended; a new one holds version + 1
    expect(await endSessionsFrom(conn.db, id, version)).toBe(false);
    expect(await sessionActor(conn.db, { accountId: String(id), sessionVersion: version + 1, signedInAt: now }, now)).not.toBeNull();
    expect(await endSessionsFrom(conn.db, id, version + 1)).toBe(true);
    expect(await sessionActor(conn.db, { accountId: String(id), sessionVersion: version + 1, signedInAt: now }, now)).toBeNull();
  });
});

describe("password hashing", () => {
  const argon2id = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]{16,}\$[A-Za-z0-9+/]{32,}$/;

  test("stored hashes are argon2id with at least OWASP's minimum cost", async () => {
    const rows = await conn.db.select({ hash: accounts.passwordHash }).from(accounts);
    expect(rows).toHaveLength(demoAccounts.length);
    for (const { hash } of rows) {
      const m = argon2id.exec(hash);
      expect(m, hash).not.toBeNull();
      const [memory, passes] = [Number(m![1]), Number(m![2])];
      expect(memory).toBeGreaterThanOrEqual(19456);
      expect(passes).toBeGreaterThanOrEqual(2);
    }
    // No password is stored in the clear anywhere in the accounts table.
    const [{ n }] = await conn.db.select({ n: sql<number>`count(*)::int` }).from(accounts).where(sql`${accounts}::text like ${`%${DEMO_PASSWORD}%`}`);
    expect(n).toBe(0);
  });

  test("each hash has its own salt, and verifies only its password", async () => {
    const [a, b] = await Promise.all([hashPassword("correct horse"), hashPassword("correct horse")]);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, "correct horse")).toBe(true);
    expect(await verifyPassword(a, "correct horsE")).toBe(false);
    expect(await verifyPassword("not a hash", "correct horse")).toBe(false);
  });
});

describe("redirects after sign-in", () => {
  test("a callback URL is followed only when it is a path on this site", () => {
    expect(safeCallbackUrl("/orders/42")).toBe("/orders/42");
    expect(safeCallbackUrl("/orders?view=all&stage=inProduction")).toBe("/orders?view=all&stage=inProduction");
    for (const bad of ["https://evil.example/orders", "//evil.example", "/\\evil.example", "/\t/evil.example", "/\n//evil.example", "orders", "", null, undefined, 42]) {
      expect(safeCallbackUrl(bad), String(bad)).toBe("/orders");
    }
  });

  test("Auth.js's redirects land on the app's origin, whatever host the request named", () => {
    const app = "http://127.0.0.1:4100";
    expect(redirectOnOrigin("/orders?view=all#x", "http://localhost:4100", app)).toBe("http://127.0.0.1:4100/orders?view=all#x");
    expect(redirectOnOrigin("http://localhost:4100/orders/7", "http://localhost:4100", app)).toBe("http://127.0.0.1:4100/orders/7");
    expect(redirectOnOrigin("http://127.0.0.1:4100/sign-in", "http://localhost:4100", app)).toBe("http://127.0.0.1:4100/sign-in");
    for (const away of ["https://evil.example/orders", "//evil.example/x", "http://localhost:4101/orders", "http://[::1"]) {
      expect(new URL(redirectOnOrigin(away, "http://localhost:4100", app)).origin, away).toBe(app);
    }
  });

  test("only sign-in, Auth.js, health, cron and the app's icon are open without a session", () => {
    for (const open of ["/sign-in", "/api/auth/session", "/api/health", "/api/cron/automations", "/icon.svg"]) expect(isPublicPath(open), open).toBe(true);
    for (const closed of ["/", "/orders", "/orders/1", "/kpi", "/admin", "/dev/mailbox", "/api/healthz", "/sign-in-now", "/icon.svg/orders", "/icon.svgx"]) {
      expect(isPublicPath(closed), closed).toBe(false);
    }
  });
});
