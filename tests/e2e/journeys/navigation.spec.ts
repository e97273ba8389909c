import { expect, test } from "../fixtures";

/**
 * Links within the app are plain anchors that one listener follows in place (components/ui/link.tsx,
 * issue 17): moving between pages keeps the document (the header, the live stream, anything typed
 * elsewhere) as next/link did, and what a person asks of a link with a modifier key stays the browser's.
 */

test("a person moves between pages by their links without the page reloading; Ctrl-click opens a new tab and leaves this one", async ({ as }) => {
  const page = await as("dispatch");
  await page.goto("/orders");
  // A mark on this document: a reload would clear it.
  await page.evaluate(() => ((window as unknown as { stayed: string }).stayed = "the same document"));
  const stayed = () => page.evaluate(() => (window as unknown as { stayed?: string }).stayed);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Board" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Board" })).toBeVisible();
  await expect(page).toHaveURL(/\/board$/);
  expect(await stayed()).toBe("the same document");

  // A card opens its order, in place too.
  const card = page.locator("a.board-card:visible").first();
  const number = (await card.locator(".top b").textContent())!.trim();
  await card.click();
  await expect(page).toHaveURL(/\/orders\/\d+$/);
  await expect(page.getByRole("heading", { level: 1, name: number })).toBeVisible();
  expect(await stayed()).toBe("the same document");

  // Back goes back, still without a reload.
  await page.goBack();
  await expect(page.getByRole("heading", { level: 1, name: "Board" })).toBeVisible();
  expect(await stayed()).toBe("the same document");

  // Ctrl-click: a new tab with the page, this one untouched.
  const [tab] = await Promise.all([page.context().waitForEvent("page"), page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Board" }).click({ modifiers: ["Control"] })]);
  await tab.waitForLoadState();
  await expect(tab).toHaveURL(/\/board$/);
  await expect(page).toHaveURL(/\/board$/);
  expect(await stayed()).toBe("the same document");
  await tab.close();
});
