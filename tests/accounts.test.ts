import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { eq, sql } from "drizzle-orm";
import type { Connection } from "@/db/client";
import { accounts, auditLog, devMailbox } from "@/db/schema";
import { listMailbox, mailboxEmail } from "@/db/queries/mailbox";
import { changeOwnPassword, createAccount, passwordProblem, resetPassword, setAccountActive, signOutEverywhere, updateAccount } from "@/lib/account-admin/commands";
import { loadActor } from "@/lib/auth/actor";
import { verifyCredentials } from "@/lib/auth/sign-in";
import { archiveStore, createStore, updateStore } from "@/lib/stores/commands";
import { createOrder } from "@/lib/orders/commands";
import { DEMO_PASSWORD } from "@/lib/demo/seed";
import type { Actor } from "@/lib/workflow";
import { testDatabase } from "./database";
import { type Actors, inDays, seedActors } from "./fixtures";

/** Accounts and stores in the app (SPEC.md "Accounts, stores and sessions"), through the real commands. */

let conn: Connection;
let actors: Actors;
let storeIds: { north: number; south: number };
let admin: Actor;
const as = (actor: Actor) => ({ db: conn.db, actor });
const versionOf = async (id: number) => (await conn.db.select({ v: accounts.sessionVersion }).from(accounts).where(eq(accounts.id, id)))[0].v;
const auditKinds = async (accountId: number) =>
  (await conn.db.select({ kind: auditLog.kind }).from(auditLog).where(eq(auditLog.accountId, accountId)).orderBy(auditLog.id)).map((r) => r.kind);

beforeAll(async () => {
  conn = await testDatabase();
  ({ actors, storeIds } = await seedActors(conn.db));
  admin = actors["admin@example.com"];
});
afterAll(() => conn.close());

describe("creating an account", () => {
  test("with a generated password, shown once, that signs in", async () => {
    const r = await createAccount(as(admin), { name: "Robin Press", email: "  Robin.Press@Example.com ", roles: ["productionTeam"], storeIds: [], generatePassword: "on" });
    if (!r.ok) throw new Error(JSON.stringify(r));
    expect(r.account.email).toBe("robin.press@example.com");
    expect(r.generatedPassword).toMatch(/^[A-Za-z2-9]{4}(-[A-Za-z2-9]{4}){3}$/);
    expect(await verifyCredentials(conn.db, { email: "robin.press@example.com", password: r.generatedPassword })).not.toBeNull();
    expect(await auditKinds(r.account.id)).toEqual(["accountCreated"]);
    // The password is never stored or logged in the clear.
    const [{ n }] = await conn.db.select({ n: sql<number>`count(*)::int` }).from(auditLog).where(sql`${auditLog}::text like ${`%${r.generatedPassword}%`}`);
    expect(n).toBe(0);
  });

  test("emails are unique whatever their case", async () => {
    const r = await createAccount(as(admin), { name: "Dup", email: "DISPATCH@example.com", roles: ["dispatchTeam"], storeIds: [], password: "a long enough password" });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.fieldErrors?.email).toEqual(["An account with this email already exists"]);
  });

  test("a store manager needs a store; a password needs 12 characters and is not the email", async () => {
    const noStore = await createAccount(as(admin), { name: "Sto", email: "sto@example.com", roles: ["storeManager"], storeIds: [], password: "a long enough password" });
    expect(!noStore.ok && noStore.fieldErrors?.storeIds).toEqual(["Choose the store or stores this store manager works for"]);
    const short = await createAccount(as(admin), { name: "Sho", email: "sho@example.com", roles: ["ops"], storeIds: [], password: "short" });
    expect(!short.ok && short.fieldErrors?.password).toEqual(["Use at least 12 characters"]);
    const none = await createAccount(as(admin), { name: "Non", email: "non@example.com", roles: ["ops"], storeIds: [] });
    expect(!none.ok && none.fieldErrors?.password).toEqual(["Type a password, or tick “Generate a password”"]);
    const asEmail = await createAccount(as(admin), { name: "Ema", email: "email.as.password@example.com", roles: ["ops"], storeIds: [], password: "Email.As.Password@example.com" });
    expect(!asEmail.ok && asEmail.fieldErrors?.password).toEqual(["The password cannot be the account's email"]);
    const noRole = await createAccount(as(admin), { name: "Nor", email: "nor@example.com", roles: [], storeIds: [], password: "a long enough password" });
    expect(!noRole.ok && noRole.fieldErrors?.roles).toEqual(["Choose at least one role"]);
  });
});

describe("sessions end when the account changes", () => {
  async function person(email: string, roles: Actor["roles"] = ["qualityControl"]) {
    const r = await createAccount(as(admin), { name: email.split("@")[0], email, roles, storeIds: [], password: "correct horse battery" });
    if (!r.ok) throw new Error(JSON.stringify(r));
    return { id: r.account.id, version: r.account.sessionVersion };
  }

  test("a role change: the old session is refused, a new one works", async () => {
    const p = await person("role.change@example.com");
    expect(await loadActor(conn.db, p.id, { version: p.version })).not.toBeNull();
    const r = await updateAccount(as(admin), { accountId: p.id, name: "Role Change", roles: ["productionTeam"], storeIds: [] });
    expect(r.ok).toBe(true);
    expect(await loadActor(conn.db, p.id, { version: p.version })).toBeNull();
    expect((await loadActor(conn.db, p.id, { version: await versionOf(p.id) }))?.roles).toEqual(["productionTeam"]);
    expect(await auditKinds(p.id)).toEqual(["accountCreated", "accountChanged"]);
    const [change] = await conn.db.select().from(auditLog).where(eq(auditLog.kind, "accountChanged")).orderBy(auditLog.id);
    expect(change.before).toMatchObject({ roles: ["qualityControl"] });
    expect(change.after).toMatchObject({ roles: ["productionTeam"], name: "Role Change" });
  });

  test("a name or store change alone keeps the session", async () => {
    const p = await person("rename.only@example.com");
    expect((await updateAccount(as(admin), { accountId: p.id, name: "Renamed Only", roles: ["qualityControl"], storeIds: [] })).ok).toBe(true);
    expect(await loadActor(conn.db, p.id, { version: p.version })).not.toBeNull();
  });

  test("deactivation ends every session and refuses sign-in; reactivation lets a new sign-in in", async () => {
    const p = await person("deactivated@example.com");
    expect((await setAccountActive(as(admin), { accountId: p.id, active: "false", confirmed: "on" })).ok).toBe(true);
    expect(await loadActor(conn.db, p.id, { version: p.version })).toBeNull();
    expect(await verifyCredentials(conn.db, { email: "deactivated@example.com", password: "correct horse battery" })).toBeNull();
    expect((await setAccountActive(as(admin), { accountId: p.id, active: "on" })).ok).toBe(true);
    const user = await verifyCredentials(conn.db, { email: "deactivated@example.com", password: "correct horse battery" });
    expect(user).not.toBeNull();
    expect(await loadActor(conn.db, p.id, { version: user!.sessionVersion })).not.toBeNull();
    expect(await loadActor(conn.db, p.id, { version: p.version })).toBeNull();
  });

  test("a password reset: the old password and the old session are refused", async () => {
    const p = await person("reset.me@example.com");
    const r = await resetPassword(as(admin), { accountId: p.id, generatePassword: "on" });
    if (!r.ok) throw new Error(JSON.stringify(r));
    expect(await verifyCredentials(conn.db, { email: "reset.me@example.com", password: "correct horse battery" })).toBeNull();
    expect(await verifyCredentials(conn.db, { email: "reset.me@example.com", password: r.generatedPassword })).not.toBeNull();
    expect(await loadActor(conn.db, p.id, { version: p.version })).toBeNull();
    expect(await auditKinds(p.id)).toEqual(["accountCreated", "passwordReset"]);
  });

  test("changing one's own password needs the current one, and ends every session", async () => {
    const p = await person("own.password@example.com");
    const me = (await loadActor(conn.db, p.id))!;
    const wrong = await changeOwnPassword(as(me), { currentPassword: "not it at all", newPassword: "a brand new password", confirmPassword: "a brand new password" });
    expect(!wrong.ok && wrong.fieldErrors?.currentPassword).toEqual(["That is not your current password"]);
    const differ = await changeOwnPassword(as(me), { currentPassword: "correct horse battery", newPassword: "a brand new password", confirmPassword: "a brand new passw0rd" });
    expect(!differ.ok && differ.fieldErrors?.confirmPassword).toEqual(["The two new passwords differ"]);
    const ok = await changeOwnPassword(as(me), { currentPassword: "correct horse battery", newPassword: "a brand new password", confirmPassword: "a brand new password" });
    expect(ok.ok).toBe(true);
    expect(await verifyCredentials(conn.db, { email: "own.password@example.com", password: "a brand new password" })).not.toBeNull();
    expect(await loadActor(conn.db, p.id, { version: p.version })).toBeNull();
  });

  test("sign out everywhere ends every session of the account", async () => {
    const p = await person("everywhere@example.com");
    const me = (await loadActor(conn.db, p.id))!;
    expect((await signOutEverywhere(as(me))).ok).toBe(true);
    expect(await loadActor(conn.db, p.id, { version: p.version })).toBeNull();
    expect(await auditKinds(p.id)).toEqual(["accountCreated", "signOutEverywhere"]);
  });

  test("a session without a version (issued before versions existed) is refused", async () => {
    const p = await person("no.version@example.com");
    expect(await loadActor(conn.db, p.id, { version: undefined })).toBeNull();
  });
});

describe("administrators cannot lock the shop out", () => {
  test("no self-demotion, no self-deactivation", async () => {
    const demote = await updateAccount(as(admin), { accountId: admin.id, name: admin.name, roles: ["ops"], storeIds: [] });
    expect(!demote.ok && demote.formError).toBe("You cannot remove your own administrator role");
    const off = await setAccountActive(as(admin), { accountId: admin.id, active: "false", confirmed: "on" });
    expect(!off.ok && off.formError).toBe("You cannot deactivate your own account");
  });

  test("the last active administrator can never be removed, even by an administrator whose own removal raced it", async () => {
    const r = await createAccount(as(admin), { name: "Second Admin", email: "admin2@example.com", roles: ["admin"], storeIds: [], password: "second admin password" });
    if (!r.ok) throw new Error(JSON.stringify(r));
    const second = (await loadActor(conn.db, r.account.id))!;
    // The first administrator demotes the second; the second, acting on what it loaded before, then
    // tries to demote the first: that would leave no administrator.
    expect((await updateAccount(as(admin), { accountId: second.id, name: second.name, roles: ["ops"], storeIds: [] })).ok).toBe(true);
    const raced = await updateAccount(as(second), { accountId: admin.id, name: admin.name, roles: ["ops"], storeIds: [] });
    expect(!raced.ok && raced.formError).toBe("The last active administrator cannot be removed");
    const deactivated = await setAccountActive(as(second), { accountId: admin.id, active: "false", confirmed: "on" });
    expect(!deactivated.ok && deactivated.formError).toBe("The last active administrator cannot be removed");
    expect((await loadActor(conn.db, admin.id))?.roles).toEqual(["admin"]);
  });
});

describe("stores", () => {
  test("create, rename, set the time zone; codes are unique; the zone must be an IANA name", async () => {
    const r = await createStore(as(admin), { code: "East", name: "East Side", timeZone: "Europe/Berlin" });
    if (!r.ok) throw new Error(JSON.stringify(r));
    expect(r.store).toMatchObject({ code: "east", name: "East Side", timeZone: "Europe/Berlin", archivedAt: null });
    const dup = await createStore(as(admin), { code: "east", name: "Another", timeZone: "UTC" });
    expect(!dup.ok && dup.fieldErrors?.code).toEqual(["A store with this code already exists"]);
    const badZone = await updateStore(as(admin), { storeId: r.store.id, name: "East", timeZone: "Mars/Olympus" });
    expect(!badZone.ok && badZone.fieldErrors?.timeZone?.[0]).toMatch(/IANA/);
    const renamed = await updateStore(as(admin), { storeId: r.store.id, name: "East Market", timeZone: "America/New_York" });
    expect(renamed.ok && renamed.store).toMatchObject({ name: "East Market", timeZone: "America/New_York" });
    // Another spelling of a zone is stored as the name the picker lists.
    const alias = await updateStore(as(admin), { storeId: r.store.id, name: "East Market", timeZone: "US/Pacific" });
    expect(alias.ok && alias.store.timeZone).toBe("America/Los_Angeles");
  });

  test("an archived store takes no new orders, keeps its orders readable, and takes orders again once restored", async () => {
    const north = actors["store.north@example.com"];
    const input = { storeId: storeIds.north, productSpecifications: "Before archiving, six lamps", orderQuantity: 6, requiredDeliveryDate: inDays(10) };
    const before = await createOrder(as(north), input);
    expect(before.ok).toBe(true);
    expect((await archiveStore(as(admin), { storeId: storeIds.north, archived: "on", confirmed: "on" })).ok).toBe(true);
    const refused = await createOrder(as(north), { ...input, productSpecifications: "After archiving, six lamps" });
    expect(!refused.ok && refused.formError).toBe("This store is archived and takes no new orders");
    expect((await archiveStore(as(admin), { storeId: storeIds.north, archived: "" })).ok).toBe(true);
    expect((await createOrder(as(north), input)).ok).toBe(true);
    const kinds = (await conn.db.select({ kind: auditLog.kind }).from(auditLog).where(eq(auditLog.storeId, storeIds.north))).map((r) => r.kind);
    expect(kinds).toEqual(["storeArchived", "storeRestored"]);
  });
});

test("the audit log is append-only", async () => {
  await conn.db.insert(auditLog).values({ kind: "signIn", email: "x@example.com" });
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => "succeeded",
      (e: Error & { cause?: Error }) => `${e.message} ${e.cause?.message ?? ""}`,
    );
  expect(await failure(conn.db.update(auditLog).set({ kind: "signIn" }).where(sql`true`))).toMatch(/audit_log is append-only \(UPDATE refused\)/);
  expect(await failure(conn.db.delete(auditLog).where(sql`true`))).toMatch(/audit_log is append-only \(DELETE refused\)/);
});

test("the development mailbox shows an account only its own emails; administrators see all", async () => {
  await conn.db.insert(devMailbox).values([
    { idempotencyKey: "m1", to: "store.north@example.com", from: "x", subject: "North alert", html: "", text: "" },
    { idempotencyKey: "m2", to: "store.south@example.com", from: "x", subject: "South alert", html: "", text: "" },
  ]);
  const south = { all: false as const, email: "store.south@example.com" };
  const mine = await listMailbox(conn.db, south);
  expect(mine.rows.map((r) => r.subject)).toEqual(["South alert"]);
  expect(mine.total).toBe(1);
  const northMail = (await listMailbox(conn.db, { all: true })).rows.find((r) => r.subject === "North alert")!;
  expect(await mailboxEmail(conn.db, south, northMail.id)).toBeNull();
  expect(await mailboxEmail(conn.db, { all: true }, northMail.id)).not.toBeNull();
  expect((await listMailbox(conn.db, { all: true })).total).toBe(2);
});

test("the demo password is refused for new passwords in production only", () => {
  expect(passwordProblem(DEMO_PASSWORD, "a@example.com", true)).toBe("That is the demo password: choose another");
  expect(passwordProblem(DEMO_PASSWORD, "a@example.com", false)).toBeNull();
  expect(passwordProblem("A@Example.com", "a@example.com", false)).toBe("The password cannot be the account's email");
});
