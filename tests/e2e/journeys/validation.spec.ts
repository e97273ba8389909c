import { expect, test } from "../fixtures";

test("an empty new order shows a message beside each required field and keeps what was typed", async ({ as }) => {
  const north = await as("north");
  await north.goto("/orders/new");
  await north.getByRole("button", { name: "Create order" }).click();
  for (const label of ["Product Specifications", "Order Quantity", "Required Delivery Date"]) {
    // "Beside the field": the message is the control's own description, so it is read with it.
    await expect(north.getByLabel(label)).toHaveAccessibleDescription(`${label} is required`);
    await expect(north.getByLabel(label)).toHaveAttribute("aria-invalid", "true");
  }
  await expect(north).toHaveURL(/\/orders\/new$/);

  await north.getByLabel("Order Quantity").fill("12");
  await north.getByRole("button", { name: "Create order" }).click();
  await expect(north.getByLabel("Product Specifications")).toHaveAccessibleDescription("Product Specifications is required");
  await expect(north.getByLabel("Required Delivery Date")).toHaveAccessibleDescription("Required Delivery Date is required");
  await expect(north.getByLabel("Order Quantity")).toHaveValue("12");
  await expect(north.getByLabel("Order Quantity")).not.toHaveAttribute("aria-invalid", "true");
  await expect(north).toHaveURL(/\/orders\/new$/);
});
