import { expect, openOrder, test } from "../fixtures";

/**
 * The two bugs of the stage form, done the way a person works: edit, then press Complete without
 * confirming; type, then tick a to-do. Both failed before save-and-complete became one command
 * and the form stopped re-mounting its fields on every change of the order.
 */

test("edit, then Complete on a failed inspection: refused, nothing saved, the form keeps what was typed", async ({ as, orders }) => {
  const order = orders.stageWork.failedInspection;
  const page = await as("production");
  await openOrder(page, order);
  await page.getByLabel("Production Status").selectOption({ label: "Completed" });
  await page.getByLabel("Completion Percentage").fill("100");
  // The checklist already says what is missing, before the button is pressed.
  const checklist = page.getByRole("region", { name: "Before completing this stage" });
  await expect(checklist).toContainText("The latest inspection failed");
  await expect(checklist).toContainText("recorded by Quality Control");
  await page.getByRole("button", { name: "Complete stage" }).click();

  const alert = page.getByRole("alert").filter({ hasText: "This stage cannot be completed yet" });
  await expect(alert).toBeVisible();
  await expect(alert.getByRole("link", { name: /Quality Check Results/ })).toBeVisible();
  // What the person typed is still there ...
  await expect(page.getByLabel("Production Status")).toHaveValue("completed");
  await expect(page.getByLabel("Completion Percentage")).toHaveValue("100");
  // ... and nothing was stored: everyone else still sees the order as it was.
  const other = await as("qc");
  await openOrder(other, order);
  await expect(other.getByLabel("Production Status")).toHaveValue("");
  await expect(other.getByRole("region", { name: "History" })).not.toContainText("Production Status");

  // The next press is no conflict with the person's own edit: Save stores it.
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved 2 fields" })).toBeVisible();
  // The outcome has the focus, so a screen reader reads it out.
  await expect(page.locator(":focus")).toContainText("Saved 2 fields");
  await expect(page.getByLabel("Production Status")).toHaveValue("completed");
});

test("type, then tick a to-do: the typing survives, and saving it is no conflict", async ({ as, orders }) => {
  const order = orders.stageWork.typeThenTick;
  const page = await as("dispatch");
  await openOrder(page, order);
  const special = page.getByLabel("Special Requirements");
  await special.fill("Pack each pair in tissue paper");
  await page.getByRole("checkbox", { name: "Review order specifications" }).click();
  await expect(page.getByRole("checkbox", { name: "Review order specifications" })).toHaveAttribute("aria-checked", "true");
  await expect(special).toHaveValue("Pack each pair in tissue paper");
  await expect(page.getByText("Unsaved changes")).toBeVisible();

  // A colleague ticks another to-do meanwhile: still no conflict for the field save.
  const colleague = await as("production");
  await openOrder(colleague, order);
  await colleague.getByRole("checkbox", { name: "Verify production capacity" }).click();
  await expect(colleague.getByRole("checkbox", { name: "Verify production capacity" })).toHaveAttribute("aria-checked", "true");

  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved 1 field" })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Special Requirements")).toHaveValue("Pack each pair in tissue paper");
});

test("leaving with unsaved input asks first", async ({ as, orders }) => {
  const page = await as("production");
  await openOrder(page, orders.stageWork.failedInspection);
  await page.getByLabel("Completion Percentage").fill("42");
  let asked = "";
  page.once("dialog", async (dialog) => {
    asked = dialog.message();
    await dialog.dismiss();
  });
  await page.getByRole("link", { name: "Orders" }).first().click();
  await expect.poll(() => asked).toContain("unsaved changes");
  await expect(page).toHaveURL(new RegExp(`${orders.stageWork.failedInspection.path}$`));
});
