import { expect, openOrder, recordInspection, test } from "../fixtures";

/**
 * Every hand-off announced, and rules that fire on what people see (issue 18), as people work:
 * quality control fails an inspection and production reads the notes in its inbox; production
 * says the rework is done and quality control is told; an administrator picks "Courier" from the
 * field's options and the rule fires when dispatch ships by courier.
 */

test("QC fails an inspection and production's inbox shows the notes", async ({ as, orders }) => {
  const order = orders.handOffs.qcFails;
  const qc = await as("qc");
  await openOrder(qc, order);
  await recordInspection(qc, "Fail", "Two planters cracked at the base");

  const production = await as("production");
  await production.goto("/inbox");
  const alert = production.getByRole("list", { name: "Alerts" }).getByRole("listitem").filter({ hasText: order.number });
  await expect(alert).toHaveCount(1);
  await expect(alert).toContainText("Inspection failed - rework needed — Two planters cracked at the base");
  await expect(alert.getByText("High priority")).toBeVisible();
});

test("production presses Ready for re-inspection and QC is told", async ({ as, orders }) => {
  const order = orders.handOffs.reworkDone;
  const production = await as("production");
  await openOrder(production, order);
  const ready = production.getByRole("form", { name: "Ready for re-inspection" });
  await ready.getByLabel("What was reworked (optional)").fill("Top shelf sanded and lacquered again");
  await ready.getByRole("button", { name: "Ready for re-inspection" }).click();
  await expect(production.getByRole("status").filter({ hasText: "Ready for re-inspection — Pat Production" })).toBeVisible();
  // Once per failed inspection: the button is gone, the history keeps it.
  await expect(production.getByRole("button", { name: "Ready for re-inspection" })).toHaveCount(0);
  await expect(production.getByRole("region", { name: "History" })).toContainText("Ready for re-inspection (Top shelf sanded and lacquered again)");

  const qc = await as("qc");
  await qc.goto("/inbox");
  const alert = qc.getByRole("list", { name: "Alerts" }).getByRole("listitem").filter({ hasText: order.number });
  await expect(alert).toHaveCount(1);
  await expect(alert).toContainText("Rework done - ready for re-inspection — Top shelf sanded and lacquered again");
});

test("a rule made by choosing “Courier” fires when dispatch ships by courier; deleting it can be undone", async ({ as, orders }, testInfo) => {
  test.setTimeout(120_000);
  const order = orders.handOffs.byCourier;
  const admin = await as("admin");
  await admin.goto("/admin/rules");
  const name = `Courier shipments ${testInfo.project.name} ${Date.now().toString(36)}`;

  await test.step("the administrator picks the field, then Courier from its options", async () => {
    await admin.getByText("New rule", { exact: true }).click();
    const form = admin.getByRole("form", { name: "New rule" });
    await form.getByRole("textbox", { name: "Name", exact: true }).fill(name);
    await form.getByRole("combobox", { name: "When", exact: true }).selectOption({ label: "A field is set to a value" });
    await form.getByRole("combobox", { name: "Field (field rules)" }).selectOption({ label: "Shipment Method" });
    // The value is one of the field's options, by the label people see everywhere.
    const value = form.getByRole("combobox", { name: "Equals (field rules)" });
    await expect(value.getByRole("option")).toHaveText(["—", "Courier", "Freight", "Own fleet", "Store pickup"]);
    await value.selectOption({ label: "Courier" });
    await form.getByRole("checkbox", { name: "Quality Control" }).check();
    await form.getByRole("textbox", { name: "Message", exact: true }).fill("Going out by courier - check the packing");
    await form.getByRole("button", { name: "Create rule" }).click();
    const card = admin.getByRole("article").filter({ has: admin.getByRole("heading", { level: 3, name }) });
    await expect(card).toBeVisible();
    await expect(card).toContainText("When Shipment Method is set to “Courier” (stage 4, Dispatching)");
  });

  await test.step("dispatch ships by courier and saves: quality control is told", async () => {
    const dispatch = await as("dispatch");
    await openOrder(dispatch, order);
    await dispatch.getByLabel("Shipment Method").selectOption({ label: "Courier" });
    await dispatch.getByRole("button", { name: "Save", exact: true }).click();
    await expect(dispatch.getByRole("status").filter({ hasText: /^Saved 1 field$/ })).toBeVisible();
    const qc = await as("qc");
    await qc.goto("/inbox");
    const alert = qc.getByRole("list", { name: "Alerts" }).getByRole("listitem").filter({ hasText: order.number });
    // (Both projects' rules name QC for a courier shipment: QC hears of one save once.)
    await expect(alert).toHaveCount(1);
    await expect(alert).toContainText("Going out by courier - check the packing");
  });

  await test.step("deleted (after asking), it moves to Deleted rules, and Undo brings it back", async () => {
    const card = admin.getByRole("article").filter({ has: admin.getByRole("heading", { level: 3, name }) });
    await card.getByRole("button", { name: `Delete ${name}` }).click();
    await card.getByRole("button", { name: "Yes, delete the rule" }).click();
    await expect(card).toHaveCount(0);
    const deleted = admin.getByRole("region", { name: "Deleted rules" }).getByRole("listitem").filter({ hasText: name });
    await expect(deleted).toBeVisible();
    await deleted.getByRole("button", { name: `Undo delete of ${name}` }).click();
    await expect(card).toBeVisible();
    await expect(card).toContainText("When Shipment Method is set to “Courier” (stage 4, Dispatching)");
    await card.getByRole("link", { name: `Edit ${name}` }).click();
    await expect(card.getByRole("combobox", { name: "Equals (field rules)" })).toHaveValue("courier");
    // Tidy: it goes again, so it fires on no other journey's shipments.
    await card.getByRole("button", { name: `Delete ${name}` }).click();
    await card.getByRole("button", { name: "Yes, delete the rule" }).click();
    await expect(card).toHaveCount(0);
  });
});
