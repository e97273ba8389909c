import { expect, test } from "../fixtures";
import { preparedAccounts } from "../prepared-orders";

/**
 * Steps that are hard to undo ask first, in the form itself, with or without JavaScript: deleting
 * a rule, archiving a store that has open orders, deactivating an account. Before, one press did it.
 */

test("deactivating an account asks first: Cancel leaves it active, Yes deactivates it", async ({ as }) => {
  const who = preparedAccounts.askedFirst;
  const admin = await as("admin");
  await admin.goto(`/admin/users?q=${encodeURIComponent(who.email)}`);
  await admin.getByRole("link", { name: `Edit ${who.name}` }).click();
  await admin.getByRole("button", { name: "Deactivate account" }).click();
  const question = admin.getByRole("alert").filter({ hasText: `Deactivate ${who.name}` });
  await expect(question).toBeVisible();
  await expect(admin.getByRole("button", { name: "Yes, deactivate the account" })).toBeFocused();
  await question.getByRole("link", { name: "Cancel" }).click();
  await expect(question).toHaveCount(0);
  await admin.reload();
  await expect(admin.getByRole("button", { name: "Deactivate account" })).toBeVisible();

  await admin.getByRole("button", { name: "Deactivate account" }).click();
  await admin.getByRole("button", { name: "Yes, deactivate the account" }).click();
  await expect(admin.getByRole("heading", { name: "Reactivate" })).toBeVisible();
});

test("without JavaScript: archiving a store with open orders asks first, and Cancel keeps it", async ({ withoutJs }) => {
  const admin = await withoutJs("admin");
  await admin.goto("/admin/stores");
  const south = admin.getByRole("form", { name: "Archive South" });
  await south.getByRole("button", { name: "Archive" }).click();
  const question = admin.getByRole("alert").filter({ hasText: /South has \d+ open orders?\. Archive it anyway\?/ });
  await expect(question).toBeVisible();
  await question.getByRole("link", { name: "Cancel" }).click();
  await expect(admin.getByRole("form", { name: "Archive South" }).getByRole("button", { name: "Archive" })).toBeVisible();
  await expect(admin.getByRole("form", { name: "Restore South" })).toHaveCount(0);
});

test("without JavaScript: deleting a rule asks first, and Yes deletes it", async ({ as, withoutJs }) => {
  const name = `Ask first ${Date.now().toString(36)}`;
  const creator = await as("admin");
  await creator.goto("/admin/rules");
  await creator.getByText("New rule", { exact: true }).click();
  const form = creator.getByRole("form", { name: "New rule" });
  await form.getByRole("textbox", { name: "Name", exact: true }).fill(name);
  await form.getByLabel("Enabled").uncheck();
  await form.getByRole("combobox", { name: "When", exact: true }).selectOption({ label: "A stage is overdue" });
  await form.getByRole("group", { name: "Stages" }).getByRole("checkbox", { name: "3. In Production" }).check();
  await form.getByRole("checkbox", { name: "The order's store managers" }).check();
  await form.getByRole("textbox", { name: "Message", exact: true }).fill("{order} is overdue");
  await form.getByRole("button", { name: "Create rule" }).click();
  await expect(creator.getByRole("heading", { level: 3, name })).toBeVisible();

  const admin = await withoutJs("admin");
  await admin.goto("/admin/rules");
  const rule = admin.getByRole("article").filter({ has: admin.getByRole("heading", { level: 3, name }) });
  await rule.getByRole("button", { name: `Delete ${name}` }).click();
  const again = admin.getByRole("article").filter({ has: admin.getByRole("heading", { level: 3, name }) });
  await expect(again.getByRole("alert")).toContainText(`Delete the rule “${name}”?`);
  await again.getByRole("button", { name: "Yes, delete the rule" }).click();
  await expect(admin.getByRole("heading", { level: 1, name: "Automations" })).toBeVisible();
  await expect(admin.getByRole("heading", { level: 3, name })).toHaveCount(0);
});
