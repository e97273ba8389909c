import { expect, test } from "../fixtures";

test("the KPI page shows its four figures to operations", async ({ as }) => {
  const ops = await as("ops");
  await ops.goto("/kpi");
  await expect(ops.getByRole("heading", { level: 1, name: "KPIs" })).toBeVisible();
  // The demo seed holds months of completed orders, so each figure has a value, not "—".
  const figures: [string, RegExp][] = [
    ["Average production time", /\d+(\.\d+)?\s*days?/],
    ["On-time delivery", /\d+(\.\d+)?\s*%/],
    ["Quality pass rate", /\d+(\.\d+)?\s*%/],
    ["Customer satisfaction", /\d(\.\d+)?\s*\/\s*5/],
  ];
  for (const [title, value] of figures) {
    // The weekly trend below has panels of the same names: the figure cards come first.
    const card = ops.getByRole("region", { name: title, exact: true }).first();
    await expect(card).toBeVisible();
    // The first paragraph is the figure itself (the target, below it, has digits too).
    await expect(card.locator("p").first()).toHaveText(value);
    await expect(card).toContainText("Target");
  }
});
