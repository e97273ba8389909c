import type { Browser, Page } from "@playwright/test";
import { expect, openOrder, stageForm, test } from "../fixtures";
import { PREPARED_PASSWORD, preparedAccounts } from "../prepared-orders";

/**
 * An ended session never loses typed input (SPEC, "On the shop floor"): type, sign out everywhere
 * in another tab, press Save. Before, the press answered "Something went wrong", the text was gone
 * and "Try again" looped on a stale page.
 */

const who = preparedAccounts.signedOutTyping;

async function signIn(browser: Browser, baseURL: string): Promise<Page> {
  const context = await browser.newContext({ baseURL, locale: "en-GB", timezoneId: "UTC" });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(PREPARED_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/orders/);
  return page;
}

test("type, sign out everywhere in another tab, press Save: the form stays, says so, and saves after signing in", async ({ browser, baseURL, orders }) => {
  const order = orders.forms.signedOut;
  const page = await signIn(browser, baseURL!);
  await openOrder(page, order);
  const special = page.getByLabel("Special Requirements");
  await special.fill("Deliver before 9 am, side entrance");
  const comment = page.getByLabel("Add a comment");
  await comment.fill("Customer asked twice about the entrance");

  const other = await page.context().newPage();
  await other.goto("/account");
  await other.getByRole("button", { name: "Sign out everywhere" }).click();
  await other.waitForURL(/\/sign-in/);
  await other.close();

  await page.getByRole("button", { name: "Save", exact: true }).click();
  const notice = stageForm(page).getByRole("alert").filter({ hasText: "You were signed out" });
  await expect(notice).toContainText("then press Save");
  await expect(special).toHaveValue("Deliver before 9 am, side entrance");
  await expect(page.getByRole("heading", { name: "Something went wrong" })).toHaveCount(0);

  await page.getByRole("button", { name: "Post comment" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "You were signed out" })).toHaveCount(2);
  await expect(comment).toHaveValue("Customer asked twice about the entrance");

  // Sign in again in the new tab the notice opens; it lands on a page that says it can be closed.
  const [signInTab] = await Promise.all([page.context().waitForEvent("page"), notice.getByRole("link", { name: "sign in again (opens a new tab)" }).click()]);
  await signInTab.getByLabel("Email").fill(who.email);
  await signInTab.getByLabel("Password").fill(PREPARED_PASSWORD);
  await signInTab.getByRole("button", { name: "Sign in" }).click();
  await expect(signInTab.getByRole("heading", { name: "You are signed in again" })).toBeVisible();
  await expect(signInTab.getByText("You can close this tab")).toBeVisible();
  await signInTab.close();

  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved 1 field" })).toBeVisible();
  await page.getByRole("button", { name: "Post comment" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Comment posted" })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Special Requirements")).toHaveValue("Deliver before 9 am, side entrance");
  await expect(page.getByRole("region", { name: "Conversation" })).toContainText("Customer asked twice about the entrance");
});
