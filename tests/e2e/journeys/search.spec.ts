import { expect, test } from "../fixtures";

/**
 * Searching orders as a person types it: two words, in another order than the product names
 * them, find the orders that hold both and no order that holds one of them.
 */
test("'frame oak' finds the oak-framed mirrors, not the oak shelves", async ({ as }) => {
  const north = await as("north");
  await north.goto("/orders?view=all");
  await north.getByRole("textbox", { name: "Search" }).fill("frame oak");
  await north.getByRole("button", { name: "Apply" }).click();
  await expect(north).toHaveURL(/q=frame\+oak/);
  const table = north.getByRole("table");
  await expect(table.getByRole("row").nth(1)).toContainText(/oak frame/i);
  // The Product column, wherever the list places it.
  const headers = await table.getByRole("columnheader").allTextContents();
  const column = headers.findIndex((h) => h.trim() === "Product") + 1;
  expect(column).toBeGreaterThan(0);
  const products = await table.getByRole("row").locator(`td:nth-child(${column})`).allTextContents();
  expect(products.length).toBeGreaterThan(0);
  for (const product of products) expect(product.toLowerCase()).toMatch(/(?=.*frame)(?=.*oak)/);
  await expect(north.getByText(/^\d[\d,]* orders?$/)).toBeVisible();
});
