import type { Browser, Page } from "@playwright/test";
import { PREPARED_PASSWORD, preparedAccounts } from "../prepared-orders";
import { accounts, expect, test } from "../fixtures";

/**
 * Accounts a shop can run, and sessions that end (issue 10), in the browser: an administrator
 * onboards a production worker and later deactivates them; signing out really signs out, 20
 * times in a row; a copied session cookie is refused after every way a session ends. The
 * accounts signed out here are prepared for this spec alone: a sign-out ends every session of
 * its account.
 */

async function signIn(browser: Browser, baseURL: string, email: string, password: string): Promise<Page> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
  return page;
}

/** A copy of the page's session cookie, in a fresh browser with nothing else: what a thief would hold. */
async function copiedSession(browser: Browser, baseURL: string, page: Page): Promise<Page> {
  const cookies = (await page.context().cookies()).filter((c) => c.name.includes("session-token"));
  expect(cookies.length).toBeGreaterThan(0);
  const thief = await browser.newContext({ baseURL });
  await thief.addCookies(cookies);
  return thief.newPage();
}

async function expectSignedOut(page: Page, path = "/orders") {
  await page.goto(path);
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
}

test("an administrator onboards a production worker, who changes the password, works, and is cut off when deactivated", async ({ as, browser, baseURL }) => {
  const admin = await as("admin");
  await admin.goto("/admin/users/new");
  const form = admin.getByRole("form", { name: "New account" });
  await form.getByLabel("Name").fill("Wren Worker");
  await form.getByLabel("Email").fill("Wren.Worker@Example.com");
  await form.getByRole("group", { name: /Roles/ }).getByRole("checkbox", { name: "Production Team" }).check();
  await form.getByRole("checkbox", { name: "Generate a password" }).check();
  await form.getByRole("button", { name: "Create account" }).click();
  const box = admin.getByRole("region", { name: "New password: copy it now" });
  await expect(box).toBeVisible();
  await expect(box).toContainText("wren.worker@example.com");
  const generated = (await box.locator("code").innerText()).trim();
  expect(generated).toMatch(/^[A-Za-z2-9]{4}(-[A-Za-z2-9]{4}){3}$/);

  // The worker signs in with it and picks a password of their own.
  const worker = await signIn(browser, baseURL!, "wren.worker@example.com", generated);
  await worker.goto("/account");
  await worker.getByLabel("Current password").fill(generated);
  await worker.getByLabel(/^New password\W*$/).fill("wren's own long password");
  await worker.getByLabel("New password again").fill("wren's own long password");
  await worker.getByRole("button", { name: "Change password" }).click();
  await expect(worker).toHaveURL(/\/sign-in\?changed=1/);
  await expect(worker.getByText("Password changed")).toBeVisible();
  await worker.getByLabel("Email").fill("wren.worker@example.com");
  await worker.getByLabel("Password").fill("wren's own long password");
  await worker.getByRole("button", { name: "Sign in" }).click();
  await worker.waitForURL(/\/orders/);
  await expect(worker.getByRole("heading", { name: "Your queue" })).toBeVisible();
  await expect(worker.getByRole("link", { name: /Your account: Wren Worker/ })).toBeVisible();

  // The administrator deactivates the account: the worker's open session is refused at the next click.
  await admin.goto("/admin/users?q=wren");
  await admin.getByRole("link", { name: "Edit Wren Worker" }).click();
  await admin.getByRole("button", { name: "Deactivate account" }).click();
  await admin.getByRole("button", { name: "Yes, deactivate the account" }).click();
  await expect(admin.getByRole("heading", { name: "Reactivate" })).toBeVisible();
  await worker.getByRole("link", { name: "Board" }).click();
  await expect(worker).toHaveURL(/\/sign-in/);
  await expectSignedOut(worker);
});

test("sign out, then open /orders: signed out, 20 runs in a row", async ({ browser, baseURL }) => {
  test.setTimeout(240_000);
  const { email } = preparedAccounts.signOutRuns;
  const page = await signIn(browser, baseURL!, email, PREPARED_PASSWORD);
  for (let run = 1; run <= 20; run++) {
    if (run > 1) {
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(PREPARED_PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(/\/orders/);
    }
    // Links in view are prefetched: their responses may still be in flight at the click.
    await expect(page.getByRole("link", { name: "Board" })).toBeVisible();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in/);
    await page.goto("/orders");
    await expect(page, `run ${run}`).toHaveURL(/\/sign-in/);
  }
});

test("a copied session cookie is refused after sign-out, sign out everywhere, a role change and deactivation", async ({ as, browser, baseURL }) => {
  // 4 sign-ins and about 20 page loads: 40 s alone, past a minute on a busy machine.
  test.setTimeout(120_000);
  // Sign-out (the app's button).
  const a = await signIn(browser, baseURL!, preparedAccounts.copiedAfterSignOut.email, PREPARED_PASSWORD);
  const copyA = await copiedSession(browser, baseURL!, a);
  await copyA.goto("/orders");
  await expect(copyA.getByRole("heading", { name: "Your queue" })).toBeVisible();
  await a.getByRole("button", { name: "Sign out" }).click();
  await a.waitForURL(/\/sign-in/);
  await expectSignedOut(copyA);

  // Sign out everywhere, from the account page.
  const b = await signIn(browser, baseURL!, preparedAccounts.copiedAfterEverywhere.email, PREPARED_PASSWORD);
  const copyB = await copiedSession(browser, baseURL!, b);
  await b.goto("/account");
  await b.getByRole("button", { name: "Sign out everywhere" }).click();
  await b.waitForURL(/\/sign-in/);
  await expectSignedOut(copyB);

  // A role change and a deactivation, by an administrator.
  const admin = await as("admin");
  for (const [who, change] of [
    [preparedAccounts.copiedAfterRoleChange, "role"],
    [preparedAccounts.copiedAfterDeactivation, "deactivate"],
  ] as const) {
    const page = await signIn(browser, baseURL!, who.email, PREPARED_PASSWORD);
    const copy = await copiedSession(browser, baseURL!, page);
    await admin.goto(`/admin/users?q=${encodeURIComponent(who.email)}`);
    await admin.getByRole("link", { name: `Edit ${who.name}` }).click();
    if (change === "role") {
      const edit = admin.getByRole("form", { name: "Name, roles and stores" });
      await edit.getByRole("checkbox", { name: "Dispatch Team" }).check();
      await edit.getByRole("button", { name: "Save changes" }).click();
      await expect(edit.getByRole("status")).toBeVisible();
    } else {
      await admin.getByRole("button", { name: "Deactivate account" }).click();
      await admin.getByRole("button", { name: "Yes, deactivate the account" }).click();
      await expect(admin.getByRole("heading", { name: "Reactivate" })).toBeVisible();
    }
    await expectSignedOut(copy);
    await expectSignedOut(page);
  }
});

test("no page under /admin answers a non-administrator", async ({ as }) => {
  // 40 page loads: a minute is too tight when the machine is busy.
  test.setTimeout(240_000);
  for (const who of ["north", "dispatch", "production", "qc", "ops"] as const) {
    const page = await as(who);
    for (const path of ["/admin/users", "/admin/users/new", "/admin/users/1", "/admin/stores", "/admin/audit", "/admin/api-keys", "/admin/webhooks", "/admin/webhooks/1"]) {
      const response = await page.goto(path);
      expect(response?.status(), `${accounts[who]} ${path}`).toBe(404);
      await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
    }
  }
});

test("five wrong passwords lock this browser's address out of the email for 15 minutes, with one message that does not say whether it exists", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto("/sign-in");
  const attempt = async (email: string, password: string) => {
    // A fresh form each time: nothing on the page is left from the attempt before.
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    // Each attempt waits for its own answer, so no two overlap and every one is counted.
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/sign-in"),
      page.getByRole("button", { name: "Sign in" }).click(),
    ]);
    return page.getByRole("alert").filter({ hasText: /\S/ });
  };
  // An address no account has, new on every run (a lock outlives the test by 15 minutes).
  const email = `nobody.${Date.now()}@example.com`;
  for (let i = 1; i <= 5; i++) {
    await expect(await attempt(email, `wrong password ${i}`), `attempt ${i}`).toContainText("The email or password is not right");
  }
  // The sixth is refused before the password is even checked.
  await expect(await attempt(email, "wrong password 6")).toContainText("Too many sign-in attempts");
  await context.close();
});
