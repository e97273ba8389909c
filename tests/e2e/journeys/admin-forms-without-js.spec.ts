import { expect, test } from "../fixtures";

/**
 * The administration forms are plain HTML forms too: without JavaScript a refused form comes back
 * with what was typed and ticked (a group of checkboxes included), and the corrected one saves.
 * Before, the refused form showed its boxes unticked.
 */

test("without JavaScript: a new account without a name is refused beside the field, keeping the ticks; with it, created", async ({ withoutJs }) => {
  const admin = await withoutJs("admin");
  await admin.goto("/admin/users/new");
  const form = admin.getByRole("form", { name: "New account" });
  await form.getByLabel("Email").fill("nell.nojs@example.com");
  const roles = form.getByRole("group", { name: /Roles/ });
  await roles.getByRole("checkbox", { name: "Dispatch Team" }).check();
  await roles.getByRole("checkbox", { name: "Quality Control" }).check();
  await form.getByRole("checkbox", { name: "Generate a password" }).check();
  await form.getByRole("button", { name: "Create account" }).click();

  const again = admin.getByRole("form", { name: "New account" });
  await expect(again.getByLabel("Name")).toHaveAccessibleDescription(/./);
  await expect(again.getByLabel("Email")).toHaveValue("nell.nojs@example.com");
  await expect(again.getByRole("group", { name: /Roles/ }).getByRole("checkbox", { name: "Dispatch Team" })).toBeChecked();
  await expect(again.getByRole("group", { name: /Roles/ }).getByRole("checkbox", { name: "Quality Control" })).toBeChecked();
  await expect(again.getByRole("checkbox", { name: "Generate a password" })).toBeChecked();

  await again.getByLabel("Name").fill("Nell Nojs");
  await again.getByRole("button", { name: "Create account" }).click();
  await expect(admin.getByRole("region", { name: "New password: copy it now" })).toContainText("nell.nojs@example.com");
});
