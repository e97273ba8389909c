import { readFileSync, statSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { randomInt } from "node:crypto";
import { PREPARED_PASSWORD, preparedAccounts } from "../prepared-orders";
import { expect, test } from "../fixtures";

/**
 * Sign-in and sessions as an attacker works them (issue 17): plain HTTP against Auth.js's own
 * endpoints on the real `next start`, each attacker on a loopback address of its own (Linux
 * routes all of 127.0.0.0/8 to the loopback, so the server sees a different socket address),
 * while the browsers of the other journeys come from 127.0.0.1. The server trusts no proxy
 * (MAKELINE_TRUSTED_PROXY_HOPS unset), as `npm start` by default.
 */

const baseURL = process.env.E2E_BASE_URL!;
const origin = new URL(baseURL).origin;

type Reply = { status: number; location: string | null; cookies: Map<string, string>; body: string };

/** One HTTP request from `localAddress`, with the cookies given; nothing is followed. */
function send(path: string, { from, method = "GET", headers = {}, cookies = new Map<string, string>(), form }: { from: string; method?: string; headers?: Record<string, string>; cookies?: Map<string, string>; form?: Record<string, string> }) {
  const url = new URL(path, baseURL);
  const body = form ? new URLSearchParams(form).toString() : undefined;
  const all: Record<string, string> = { ...headers };
  if (cookies.size) all.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  if (body !== undefined) Object.assign(all, { "content-type": "application/x-www-form-urlencoded", "content-length": String(Buffer.byteLength(body)) });
  return new Promise<Reply>((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers: all, localAddress: from }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => {
        const set = new Map<string, string>();
        for (const line of res.headers["set-cookie"] ?? []) {
          const [pair, ...attributes] = line.split(";");
          const eq = pair.indexOf("=");
          const expired = attributes.some((a) => /^\s*(max-age=0|expires=thu, 01 jan 1970)/i.test(a));
          set.set(pair.slice(0, eq).trim(), expired ? "" : pair.slice(eq + 1));
        }
        resolve({ status: res.statusCode ?? 0, location: res.headers.location ?? null, cookies: set, body: text });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** A loopback address nobody else in this run uses. */
const newAddress = () => `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;

/** Auth.js's credentials sign-in as a script posts it: the CSRF token first, then the form. */
async function postCredentials(from: string, email: string, password: string, headers: Record<string, string> = {}) {
  const csrf = await send("/api/auth/csrf", { from, headers });
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const reply = await send("/api/auth/callback/credentials", { from, method: "POST", headers, cookies: csrf.cookies, form: { email, password, csrfToken, callbackUrl: "/orders" } });
  return { ...reply, cookies: new Map([...csrf.cookies, ...reply.cookies]) };
}

/** What a credentials post came to: signed in, refused, or refused as locked. */
const outcomeOf = (reply: Reply) => {
  expect(reply.status, reply.body.slice(0, 200)).toBe(302);
  const location = new URL(reply.location!);
  if (location.searchParams.get("code") === "locked") return "locked";
  return location.searchParams.has("error") ? "invalid" : "ok";
};

/** A JSON body, or null for an empty one. */
const json = (body: string) => (body.trim() ? JSON.parse(body) : null);

const sessionCookie = (cookies: Map<string, string>) => new Map([...cookies].filter(([name]) => /session-token/.test(name)));

test("20 failures from one client lock it, however it rotates the X-Forwarded-For it writes", async () => {
  const attacker = newAddress();
  for (let i = 0; i < 20; i++) {
    const madeUp = `${randomInt(1, 224)}.${randomInt(0, 256)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
    expect(outcomeOf(await postCredentials(attacker, `guess.${i}.${Date.now()}@example.com`, "wrong password", { "x-forwarded-for": madeUp })), `attempt ${i + 1}`).toBe("invalid");
  }
  const next = await postCredentials(attacker, preparedAccounts.redirectedAfterSignIn.email, PREPARED_PASSWORD, { "x-forwarded-for": "192.0.2.77" });
  expect(outcomeOf(next)).toBe("locked");
});

test("20 failures claiming to come from 127.0.0.1 lock out the claimant only: the administrator signs in from 127.0.0.1", async ({ browser }) => {
  const attacker = newAddress();
  for (let i = 0; i < 20; i++) {
    expect(outcomeOf(await postCredentials(attacker, `claim.${i}.${Date.now()}@example.com`, "wrong password", { "x-forwarded-for": "127.0.0.1" }))).toBe("invalid");
  }
  expect(outcomeOf(await postCredentials(attacker, "admin@example.com", "makeline-demo", { "x-forwarded-for": "127.0.0.1" }))).toBe("locked");
  // A real browser from 127.0.0.1, through the sign-in form.
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill("admin@example.com");
  await page.getByLabel("Password").fill("makeline-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/orders/);
  await context.close();
});

test("a NUL in the email is refused in one log line and still counts against the address", async () => {
  const log = process.env.E2E_SERVER_LOG!;
  const attacker = newAddress();
  const start = statSync(log).size;
  for (let i = 0; i < 20; i++) {
    const reply = await postCredentials(attacker, "admin\u0000@example.com", "makeline-demo");
    expect(reply.status).toBe(302);
    expect(outcomeOf(reply)).toBe("invalid");
  }
  expect(outcomeOf(await postCredentials(attacker, "admin@example.com", "makeline-demo"))).toBe("locked");
  // Logged lines arrive a moment after the answers.
  await expect.poll(() => readFileSync(log, "utf8").slice(start).split("\n").filter((l) => l.includes(attacker)).length).toBe(21);
  const written = readFileSync(log, "utf8").slice(start);
  expect(written).not.toMatch(/0x00|invalid byte sequence|CallbackRouteError/);
});

test("a revoked cookie gets nothing from Auth.js's endpoints, and signing out with it ends no live session", async () => {
  const { email } = preparedAccounts.revokedOnAuthEndpoints;
  const from = newAddress();
  const first = await postCredentials(from, email, PREPARED_PASSWORD);
  expect(outcomeOf(first)).toBe("ok");
  const stolen = sessionCookie(first.cookies);
  const live = await send("/api/auth/session", { from, cookies: stolen });
  expect(json(live.body)).toMatchObject({ user: { email } });

  // The owner signs out (the session ends everywhere), then signs in again.
  const csrf = await send("/api/auth/csrf", { from, cookies: stolen });
  const signedOut = await send("/api/auth/signout", { from, method: "POST", cookies: new Map([...stolen, ...csrf.cookies]), form: { csrfToken: JSON.parse(csrf.body).csrfToken, callbackUrl: "/sign-in" } });
  expect(signedOut.status).toBe(302);
  const second = await postCredentials(from, email, PREPARED_PASSWORD);
  expect(outcomeOf(second)).toBe("ok");
  const current = sessionCookie(second.cookies);

  // The revoked cookie: no identity, no fresh cookie (only the one that clears it).
  const revoked = await send("/api/auth/session", { from, cookies: stolen });
  expect(json(revoked.body) ?? {}).not.toHaveProperty("user");
  for (const [name, value] of sessionCookie(revoked.cookies)) expect(value, `${name} is cleared, not renewed`).toBe("");

  // Signing out with it ends nothing: the owner's new session goes on.
  const csrf2 = await send("/api/auth/csrf", { from, cookies: stolen });
  await send("/api/auth/signout", { from, method: "POST", cookies: new Map([...stolen, ...csrf2.cookies]), form: { csrfToken: JSON.parse(csrf2.body).csrfToken, callbackUrl: "/sign-in" } });
  expect(json((await send("/api/auth/session", { from, cookies: current })).body)).toMatchObject({ user: { email } });
  const page = await send("/orders", { from, cookies: current });
  expect(page.status).toBe(200);
});

/** Where a redirect goes, and where the callback URL it carries would go after that: both on `origin`? */
function expectSameOrigin(reply: Reply, what: string) {
  expect(reply.location, `${what}: a redirect`).not.toBeNull();
  const target = new URL(reply.location!, baseURL);
  expect(target.origin, `${what}: ${reply.location}`).toBe(origin);
  const callback = target.searchParams.get("callbackUrl");
  if (callback) expect(new URL(callback, baseURL).origin, `${what}'s callbackUrl: ${callback}`).toBe(origin);
}

test("every answer of Auth.js's endpoints stays on the app's own origin (APP_URL)", async () => {
  const from = newAddress();
  expectSameOrigin(await send("/api/auth/signin", { from }), "GET /api/auth/signin");
  expectSameOrigin(await send("/api/auth/signin/credentials", { from }), "GET /api/auth/signin/credentials");
  const refused = await postCredentials(from, preparedAccounts.redirectedAfterSignIn.email, "wrong password");
  expectSameOrigin(refused, "a refused sign-in");
  const signedIn = await postCredentials(from, preparedAccounts.redirectedAfterSignIn.email, PREPARED_PASSWORD);
  expect(outcomeOf(signedIn)).toBe("ok");
  expectSameOrigin(signedIn, "a sign-in");
  const session = sessionCookie(signedIn.cookies);
  const csrf = await send("/api/auth/csrf", { from, cookies: session });
  const out = await send("/api/auth/signout", { from, method: "POST", cookies: new Map([...session, ...csrf.cookies]), form: { csrfToken: JSON.parse(csrf.body).csrfToken, callbackUrl: "/sign-in" } });
  expectSameOrigin(out, "a sign-out");
});

test("an administrator under attack: the other administrators are alerted in the app and by email, and one unlock lets the owner in at once", async ({ as }) => {
  test.setTimeout(120_000);
  const { name, email } = preparedAccounts.attackedAdmin;
  const attacker = newAddress();
  for (let i = 0; i < 5; i++) expect(outcomeOf(await postCredentials(attacker, email, `wrong password ${i}`))).toBe("invalid");
  // The attacker's address is now locked out of the account, the right password included.
  expect(outcomeOf(await postCredentials(attacker, email, PREPARED_PASSWORD))).toBe("locked");

  // The alert is written after the answer to the fifth attempt.
  const admin = await as("admin");
  const alert = admin.getByRole("listitem").filter({ hasText: `Sign-in to the administrator ${name} (${email}) is being slowed` });
  await expect(async () => {
    await admin.goto("/inbox");
    await expect(alert).toBeVisible({ timeout: 1_000 });
  }).toPass();
  await expect(alert.getByText("High priority")).toBeVisible();

  await expect(async () => {
    await admin.goto("/dev/mailbox");
    await expect(admin.getByText(`[High priority] Sign-in: Sign-in to the administrator ${name}`).first()).toBeVisible({ timeout: 1_000 });
  }).toPass();

  await admin.goto("/inbox");
  await alert.getByRole("link", { name: `Open account ${name}` }).click();
  await expect(admin.getByRole("heading", { level: 1, name })).toBeVisible();
  const signIn = admin.getByRole("region", { name: "Sign-in" });
  await expect(signIn).toContainText("5 failed sign-ins in the last 15 minutes: each sign-in waits 1 s first.");
  await expect(signIn).toContainText("1 address is locked out of this account until");
  await signIn.getByRole("button", { name: "Unlock sign-in" }).click();
  await expect(signIn.getByRole("status")).toHaveText("Unlocked: the account signs in at once, from any address.");
  await expect(signIn).toContainText("No failed sign-ins in the last 15 minutes.");

  // The owner, even from the address that was locked out: in at once.
  const started = Date.now();
  expect(outcomeOf(await postCredentials(attacker, email, PREPARED_PASSWORD))).toBe("ok");
  expect(Date.now() - started).toBeLessThan(1_000 + 5_000); // no throttle wait (the hash and a busy machine take the rest)

  await admin.goto(`/admin/audit?kind=signInUnlocked`);
  await expect(admin.getByRole("list", { name: "Audit entries, newest first" })).toContainText(name);
});
