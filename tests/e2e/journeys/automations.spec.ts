import { expect, test } from "../fixtures";

/**
 * Rules as data, edited by an administrator (issue 13), and each person's choice of how they
 * hear of them. The rule made here is created disabled, so it never fires on the orders other
 * journeys drive at the same time; the preferences are the South store manager's, whom no other
 * journey reads email for.
 */

test("an administrator makes a rule: a refused form keeps what was typed, the preview counts orders, then edit, disable, delete and undo", async ({ as }) => {
  // Thirteen rules' forms on one page, and an undo: more than the default half minute on a loaded machine.
  test.setTimeout(90_000);
  const admin = await as("admin");
  await admin.goto("/admin/rules");
  const name = `Overdue in production ${Date.now().toString(36)}`;

  await test.step("a rule with no message is refused beside the field, and nothing typed is lost", async () => {
    await admin.getByText("New rule", { exact: true }).click();
    const form = admin.getByRole("form", { name: "New rule" });
    await form.getByRole("textbox", { name: "Name", exact: true }).fill(name);
    await form.getByLabel("Enabled").uncheck();
    await form.getByRole("combobox", { name: "When", exact: true }).selectOption({ label: "A stage is overdue" });
    await form.getByRole("group", { name: "Stages" }).getByRole("checkbox", { name: "3. In Production" }).check();
    await form.getByRole("checkbox", { name: "The order's store managers" }).check();
    await form.getByRole("button", { name: "Create rule" }).click();
    await expect(form.getByRole("textbox", { name: "Message", exact: true })).toHaveAccessibleDescription(/Write (the|a) message/);
    await expect(form.getByRole("textbox", { name: "Name", exact: true })).toHaveValue(name);
    await expect(form.getByLabel("Enabled")).not.toBeChecked();
    await expect(form.getByRole("combobox", { name: "When", exact: true })).toHaveValue("stage_overdue");
    await expect(form.getByRole("checkbox", { name: "The order's store managers" })).toBeChecked();
    await expect(form.getByRole("group", { name: "Stages" }).getByRole("checkbox", { name: "3. In Production" })).toBeChecked();
  });

  const rule = admin.getByRole("article").filter({ has: admin.getByRole("heading", { level: 3, name }) });
  await test.step("with a message it is created, disabled, with its preview", async () => {
    const form = admin.getByRole("form", { name: "New rule" });
    await form.getByRole("textbox", { name: "Message", exact: true }).fill("{order} is overdue in production");
    await form.getByRole("button", { name: "Create rule" }).click();
    await expect(rule).toBeVisible();
    await expect(rule.getByText("Disabled", { exact: true })).toBeVisible();
    await expect(rule.getByTestId("rule-preview")).toHaveText(/^Would fire now for \d+ orders?\b/);
  });

  const renamed = `${name} (renamed)`;
  await test.step("renamed and saved, it keeps its trigger and recipients", async () => {
    // Each rule reads as text until its Edit opens its form (the page stays light with many rules).
    await expect(rule.getByRole("form", { name: `Edit ${name}` })).toHaveCount(0);
    await rule.getByRole("link", { name: `Edit ${name}` }).click();
    const form = rule.getByRole("form", { name: `Edit ${name}` });
    await form.getByRole("textbox", { name: "Name", exact: true }).fill(renamed);
    await form.getByRole("button", { name: "Save rule" }).click();
    const saved = admin.getByRole("article").filter({ has: admin.getByRole("heading", { level: 3, name: renamed }) });
    await expect(saved).toBeVisible();
    await expect(saved.getByRole("combobox", { name: "When", exact: true })).toHaveValue("stage_overdue");
    await expect(saved.getByRole("checkbox", { name: "The order's store managers" })).toBeChecked();
    await expect(saved.getByLabel("Enabled")).not.toBeChecked();
  });

  await test.step("deleted, it leaves the rules (after a reload too) for Deleted rules, where Undo brings it back", async () => {
    const saved = admin.getByRole("article").filter({ has: admin.getByRole("heading", { level: 3, name: renamed }) });
    await saved.getByRole("button", { name: `Delete ${renamed}` }).click();
    await saved.getByRole("button", { name: "Yes, delete the rule" }).click();
    await expect(saved).toHaveCount(0);
    await admin.reload();
    await expect(admin.getByRole("heading", { level: 1, name: "Automations" })).toBeVisible();
    await expect(admin.getByRole("heading", { level: 3, name: renamed })).toHaveCount(0);
    const deleted = admin.getByRole("region", { name: "Deleted rules" }).getByRole("listitem").filter({ hasText: renamed });
    await deleted.getByRole("button", { name: `Undo delete of ${renamed}` }).click();
    await expect(saved).toBeVisible();
    await expect(saved.getByRole("group", { name: "Stages" }).getByRole("checkbox", { name: "3. In Production" })).toBeChecked();
    await saved.getByRole("button", { name: `Delete ${renamed}` }).click();
    await saved.getByRole("button", { name: "Yes, delete the rule" }).click();
    await expect(saved).toHaveCount(0);
  });
});

test("a store manager chooses in-app only for shipped orders and a digest hour; the choice is kept", async ({ as }) => {
  const south = await as("south");
  await south.goto("/account");
  const shipped = south.getByRole("combobox", { name: /^Your order shipped/ });
  const hour = south.getByLabel(/^Daily digest at/);
  await shipped.selectOption({ label: "In-app only" });
  await hour.selectOption("7");
  await south.getByRole("button", { name: "Save notification choices" }).click();
  await expect(south.getByRole("status").filter({ hasText: /saved/i })).toBeVisible();
  // Shown as saved at once (React resets a form after its action: a select once fell back to the
  // choice it was first drawn with), and after a reload.
  await expect(shipped).toHaveValue("none");
  await expect(hour).toHaveValue("7");
  await south.reload();
  await expect(south.getByRole("combobox", { name: /^Your order shipped/ })).toHaveValue("none");
  await expect(south.getByLabel(/^Daily digest at/)).toHaveValue("7");
});
