import { expect, openOrder, stageForm, test } from "../fixtures";

/**
 * Stage work on a 390 px phone: the stage form right under a short header, the steps as numbers,
 * Save and Complete at the foot of the screen while a field is being filled in, and the ticks of
 * the to-dos one line in the history.
 */
test("at 390 px the stage form comes first and Save stays on screen while a field is focused", async ({ as, orders }, testInfo) => {
  const order = orders.floor.phone;
  const page = await as("dispatch");
  await page.setViewportSize({ width: 390, height: 844 });
  await openOrder(page, order);
  await page.screenshot({ path: testInfo.outputPath("order-390.png"), fullPage: true });

  // The form starts on the first screen, above what used to come first.
  const form = stageForm(page);
  const top = (await form.boundingBox())!.y;
  expect(top, "the stage form's top on a 390 × 844 screen").toBeLessThan(600);
  await expect(form.getByRole("radio", { name: "Feasible", exact: true })).toBeInViewport();
  expect(top).toBeLessThan((await page.getByRole("region", { name: "Conversation" }).boundingBox())!.y);
  // The stepper: numbers for the other stages, not names cut short.
  const steps = page.getByRole("list", { name: "Stage progress" }).getByRole("listitem");
  expect(await steps.nth(0).getByText("Store Order").evaluate((el) => el.getBoundingClientRect().width)).toBeLessThanOrEqual(1);
  await expect(steps.nth(0).getByText("1", { exact: true })).toBeVisible();

  // Filling in the last field of the stage: Save and Complete are on screen beside it.
  const special = page.getByLabel("Special Requirements");
  await special.focus();
  await special.fill("Phone: stack on two pallets");
  await expect(special).toBeInViewport();
  const save = page.getByRole("button", { name: "Save", exact: true });
  await expect(save).toBeInViewport();
  await expect(page.getByRole("button", { name: "Complete stage" })).toBeInViewport();
  // The first field too, at the top of the form.
  await page.getByRole("radio").first().focus();
  await expect(save).toBeInViewport();
  await save.click();
  await expect(page.getByRole("status").filter({ hasText: "Saved 1 field" })).toBeVisible();

  // Three to-dos ticked one after another: one line in the history, each tick behind it.
  for (const name of ["Review order specifications", "Verify production capacity", "Schedule production slot"]) {
    const box = page.getByRole("checkbox", { name });
    await box.click();
    await expect(box).toHaveAttribute("aria-checked", "true");
  }
  await page.reload();
  const history = page.getByRole("region", { name: "History" });
  // Newest first: this stage's three (the store's three in Store Order are one line further down).
  const run = history.getByText("Ticked 3 to-dos").first();
  await expect(run).toBeVisible();
  await expect(history.getByText("Ticked 3 to-dos")).toHaveCount(2);
  await expect(history.getByText("“Verify production capacity”")).toBeHidden();
  await run.click();
  await expect(history.getByText("Ticked “Verify production capacity”")).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("order-390-after.png"), fullPage: true });

  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: testInfo.outputPath("order-1280.png"), fullPage: true });
  await page.goto(`${order.path}/traveller`);
  await page.screenshot({ path: testInfo.outputPath("traveller-1280.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: testInfo.outputPath("traveller-390.png"), fullPage: true });
  await page.goto("/orders");
  await page.screenshot({ path: testInfo.outputPath("queue-390.png"), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: testInfo.outputPath("queue-1280.png"), fullPage: true });
});
