import { expect, openOrder, test } from "../fixtures";

/**
 * Typing before the page's script has run (a slow phone): the hydrated form must still send what
 * was typed. Before, the form named only the fields it had seen edited, saw none, and Save
 * answered "No changes to save".
 */

test("type before the page's script has loaded, then Save: what was typed is saved", async ({ as, orders }) => {
  const order = orders.forms.beforeHydration;
  const page = await as("dispatch");
  let release: () => void = () => {};
  const scripts = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/_next/static/**/*.js", async (route) => {
    await scripts;
    await route.continue();
  });
  await page.goto(order.path, { waitUntil: "domcontentloaded" });
  await expect(page.getByRole("heading", { level: 1, name: order.number })).toBeVisible();
  await page.getByLabel("Special Requirements").fill("Typed on a slow phone");
  release();
  // Hydrated, the form knows the field was edited.
  await expect(page.getByText("Unsaved changes")).toBeVisible();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved 1 field" })).toBeVisible();
  await openOrder(page, order);
  await expect(page.getByLabel("Special Requirements")).toHaveValue("Typed on a slow phone");
});
