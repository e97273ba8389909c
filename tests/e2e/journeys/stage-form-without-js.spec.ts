import { expect, inDays, openOrder, stageForm, test } from "../fixtures";

/**
 * The stage form is a plain HTML form first (STYLE.md 16): with JavaScript turned off it saves
 * what was typed, completes with what was typed, and takes a date and time. Before, Save answered
 * "No changes to save", Complete completed with the stored values, and the date-time control
 * submitted nothing.
 */

test("without JavaScript: type, Save; then decide, Complete without confirming, confirm, Complete", async ({ withoutJs, orders }) => {
  const order = orders.forms.withoutJs;
  const page = await withoutJs("dispatch");
  await openOrder(page, order);

  await page.getByLabel("Special Requirements").fill("Crate it with corner guards");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved 1 field" })).toBeVisible();
  await expect(page.getByLabel("Special Requirements")).toHaveValue("Crate it with corner guards");

  // Nothing edited: nothing to save (every field was submitted, none differed from the stored).
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "No changes to save" })).toBeVisible();

  const feasibility = page.getByRole("group", { name: "Order Feasibility" });
  await feasibility.getByRole("radio", { name: "Feasible", exact: true }).check();
  const schedule = page.getByRole("group", { name: "Production Schedule" });
  await schedule.getByLabel("Planned start").fill(inDays(2));
  await schedule.getByLabel("Planned end").fill(inDays(6));
  // The to-dos are open: completing needs them confirmed. The refusal keeps what was typed.
  await page.getByRole("button", { name: "Complete stage" }).click();
  await expect(stageForm(page).getByRole("alert")).toContainText("Review order specifications");
  await expect(page.getByRole("group", { name: "Order Feasibility" }).getByRole("radio", { name: "Feasible", exact: true })).toBeChecked();
  await expect(page.getByRole("group", { name: "Production Schedule" }).getByLabel("Planned end")).toHaveValue(inDays(6));

  await page.getByRole("checkbox", { name: /^Complete with \d+ open to-dos?$/ }).check();
  await page.getByRole("button", { name: "Complete stage" }).click();
  await expect(page.getByRole("heading", { name: "Stage 3: In Production" })).toBeVisible();
  const earlier = page.getByRole("region", { name: "Earlier stages" });
  await expect(earlier).toContainText("Crate it with corner guards");
  await expect(earlier).toContainText("Feasible");
});

test("without JavaScript: a colleague's newer value is not overwritten by the field left untouched", async ({ as, withoutJs, orders }) => {
  const order = orders.forms.colleagueMeanwhile;
  const page = await withoutJs("dispatch");
  await openOrder(page, order);

  const colleague = await as("production");
  await openOrder(colleague, order);
  await colleague.getByLabel("Special Requirements").fill("Oil finish, no varnish");
  await colleague.getByRole("button", { name: "Save", exact: true }).click();
  await expect(colleague.getByRole("status").filter({ hasText: "Saved 1 field" })).toBeVisible();

  // The page without JavaScript still shows Special Requirements empty; only the schedule is typed.
  const schedule = page.getByRole("group", { name: "Production Schedule" });
  await schedule.getByLabel("Planned start").fill(inDays(3));
  await schedule.getByLabel("Planned end").fill(inDays(8));
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved 1 field" })).toBeVisible();
  // After the write the form shows what is stored: the colleague's text and the schedule.
  await expect(page.getByLabel("Special Requirements")).toHaveValue("Oil finish, no varnish");
  await expect(page.getByRole("group", { name: "Production Schedule" }).getByLabel("Planned end")).toHaveValue(inDays(8));
});

test("without JavaScript: a shipment with its Estimated Delivery Time completes Dispatching", async ({ withoutJs, orders }) => {
  const order = orders.forms.shippedWithoutJs;
  const page = await withoutJs("dispatch");
  await openOrder(page, order);
  await page.getByLabel("Shipment Method").selectOption({ label: "Courier" });
  await page.getByLabel("Tracking Number").fill("CR-7731-NJ");
  await page.getByLabel("Estimated Delivery Time").fill(`${inDays(5)}T14:30`);
  await expect(page.getByLabel("Estimated Delivery Time")).toHaveAccessibleDescription(/Date and time in /);

  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved 3 fields" })).toBeVisible();
  await expect(page.getByLabel("Estimated Delivery Time")).toHaveValue(`${inDays(5)}T14:30`);

  const confirm = page.getByRole("checkbox", { name: /^Complete with \d+ open to-dos?$/ });
  await confirm.check();
  await page.getByRole("button", { name: "Complete stage" }).click();
  await expect(page.getByRole("heading", { name: "Stage 5: Store Received" })).toBeVisible();
  const earlier = page.getByRole("region", { name: "Earlier stages" });
  await expect(earlier).toContainText("CR-7731-NJ");
  await expect(earlier).toContainText(", 14:30 ");
});

test("the pending button names what it does: Completing… for Complete, while Save waits", async ({ as, orders }) => {
  const order = orders.forms.pendingNames;
  const page = await as("dispatch");
  await openOrder(page, order);
  // Hold the action's answer a moment, as a slow network would.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(order.path, async (route) => {
    if (route.request().method() === "POST") await held;
    await route.continue();
  });
  await page.getByLabel("Special Requirements").fill("Two coats of oil");
  await page.getByRole("button", { name: "Complete stage" }).click();
  await expect(page.getByRole("button", { name: "Completing…" })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Save", exact: true })).toBeDisabled();
  release();
  await expect(stageForm(page).getByRole("alert")).toContainText("Order Feasibility");
  await expect(page.getByRole("button", { name: "Complete stage" })).toBeEnabled();

  const heldAgain = new Promise<void>((resolve) => (release = resolve));
  await page.unroute(order.path);
  await page.route(order.path, async (route) => {
    if (route.request().method() === "POST") await heldAgain;
    await route.continue();
  });
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("button", { name: "Saving…" })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Complete stage" })).toBeDisabled();
  release();
  await expect(page.getByRole("status").filter({ hasText: "Saved 1 field" })).toBeVisible();
});
