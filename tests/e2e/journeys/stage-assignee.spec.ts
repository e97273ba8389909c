import { expect, openOrder, test } from "../fixtures";

/**
 * Who works the stage: assigning "Nobody" and letting go of one's own claim answered "Invalid
 * input" (the action and the command each parsed the value, and null did not parse again).
 */

test("the owner assigns a worker, then Nobody; a worker claims, then releases", async ({ as, orders }) => {
  const order = orders.forms.assignee;
  const dispatch = await as("dispatch");
  await openOrder(dispatch, order);
  const box = dispatch.getByTestId("stage-assignee");
  await box.getByLabel("Assign to").selectOption({ label: "Pat Production" });
  await box.getByRole("button", { name: "Assign" }).click();
  await expect(box.getByRole("status")).toHaveText("Saved who works this stage");
  await expect(box).toContainText("Worked by Pat Production");

  await box.getByLabel("Assign to").selectOption({ label: "Nobody" });
  await box.getByRole("button", { name: "Assign" }).click();
  await expect(box).toContainText("Nobody has claimed this stage yet.");
  await expect(box.getByRole("alert")).toHaveCount(0);

  const production = await as("production");
  await openOrder(production, order);
  const mine = production.getByTestId("stage-assignee");
  await mine.getByRole("button", { name: "Claim this stage" }).click();
  await expect(mine).toContainText("Worked by Pat Production (you)");
  await mine.getByRole("button", { name: "Release" }).click();
  await expect(mine).toContainText("Nobody has claimed this stage yet.");
  await expect(mine.getByRole("alert")).toHaveCount(0);
});

test("without JavaScript: claim the stage, tick a to-do, release; each answer is shown where it was asked", async ({ withoutJs, orders }) => {
  // Who works the stage and the to-dos are drawn on the server around one client scope each
  // (decision 031): as plain forms they post, and the page comes back with the answer.
  const order = orders.forms.assigneeWithoutJs;
  const page = await withoutJs("dispatch");
  await openOrder(page, order);
  const box = page.getByTestId("stage-assignee");
  await box.getByRole("button", { name: "Claim this stage" }).click();
  await expect(box.getByRole("status")).toHaveText("Saved who works this stage");
  await expect(box).toContainText("Worked by Dana Dispatch (you)");

  const todo = page.getByRole("checkbox", { name: "Review order specifications" });
  await expect(todo).not.toBeChecked();
  await todo.click();
  await expect(page.getByRole("checkbox", { name: "Review order specifications" })).toBeChecked();

  await page.getByTestId("stage-assignee").getByRole("button", { name: "Release" }).click();
  await expect(page.getByTestId("stage-assignee")).toContainText("Nobody has claimed this stage yet.");
  await expect(page.getByTestId("stage-assignee").getByRole("alert")).toHaveCount(0);
});
