import { expect, inDays, openOrder, test } from "../fixtures";

test("a held order is talked through: the store mentions Dana, Dana replies and proposes, the store accepts and the order returns to dispatch", async ({ as, orders }) => {
  test.setTimeout(120_000);
  const order = orders.conversation.heldOak;

  await test.step("the North store manager cannot mention South, who may not read the order", async () => {
    const north = await as("north");
    await openOrder(north, order);
    const box = north.getByRole("combobox", { name: "Add a comment" });
    await box.fill("@store.south can you help?");
    await north.getByRole("button", { name: "Post comment" }).click();
    await expect(north.getByText("No one called @store.south can be mentioned on this order")).toBeVisible();
    await expect(box).toHaveValue("@store.south can you help?");
  });

  await test.step("she mentions @Dana, picked from the typeahead", async () => {
    const north = await as("north");
    await openOrder(north, order);
    const box = north.getByRole("combobox", { name: "Add a comment" });
    await box.fill("");
    await box.pressSequentially("@Da");
    await north.getByRole("listbox", { name: "People to mention" }).getByRole("option", { name: /Dana Dispatch/ }).click();
    await expect(box).toHaveValue("@Dana ");
    // She goes on typing at once, picks a second name with the keyboard and types on: every
    // character lands where she typed it.
    await box.pressSequentially("could we have part of it sooner? @Ol");
    await north.keyboard.press("Enter");
    await north.keyboard.type("Specs: https://example.com/oak-table");
    await expect(box).toHaveValue("@Dana could we have part of it sooner? @Olive Specs: https://example.com/oak-table");
    await north.getByRole("button", { name: "Post comment" }).click();
    await expect(north.getByRole("status").filter({ hasText: "Comment posted" })).toBeVisible();
    const comment = north.getByTestId("comment").filter({ hasText: "could we have part of it sooner?" });
    await expect(comment).toBeVisible();
    await expect(comment.getByRole("link", { name: "https://example.com/oak-table" })).toHaveAttribute("href", "https://example.com/oak-table");
    await expect(box).toHaveValue("");
  });

  await test.step("Dana gets the alert; opening the order marks it read", async () => {
    const dana = await as("dispatch");
    await dana.goto("/inbox?unread=1&rule=mention");
    const alert = dana.getByRole("list", { name: "Alerts" }).getByRole("listitem").filter({ hasText: order.number });
    await expect(alert).toHaveCount(1);
    await expect(alert).toContainText("Nora North mentioned you");
    await alert.getByRole("link", { name: `Open order ${order.number}` }).click();
    await expect(dana.getByRole("heading", { level: 1, name: order.number })).toBeVisible();
    await expect(async () => {
      await dana.goto("/inbox?unread=1&rule=mention");
      await expect(dana.getByRole("list", { name: "Alerts" }).getByRole("listitem").filter({ hasText: order.number })).toHaveCount(0);
    }).toPass({ timeout: 15_000 });
  });

  const date = inDays(45);
  await test.step("Dana replies and proposes 20 pieces by a later date", async () => {
    const dana = await as("dispatch");
    await openOrder(dana, order);
    const box = dana.getByRole("combobox", { name: "Add a comment" });
    await box.fill("@Nora we can make 20 seats by then; see the proposal.");
    await dana.getByRole("button", { name: "Post comment" }).click();
    await expect(dana.getByRole("status").filter({ hasText: "Comment posted" })).toBeVisible();
    // The proposal is open already, its date prefilled with the earliest that fits the shop's capacity.
    await expect(dana.getByLabel("Delivery date we can make")).toHaveValue(inDays(0));
    await dana.getByLabel("Delivery date we can make").fill(date);
    await dana.getByLabel("Quantity we can make").fill("20");
    await dana.getByRole("button", { name: "Send proposal" }).click();
    await expect(dana.getByTestId("proposal")).toContainText("Quantity 20");
  });

  await test.step("the store accepts: the order is back in Receiving by Dispatch with the new quantity", async () => {
    const north = await as("north");
    await openOrder(north, order);
    await expect(north.getByTestId("comment").filter({ hasText: "we can make 20 seats" })).toBeVisible();
    await expect(north.getByTestId("proposal")).toContainText("Quantity 20 (asked: ");
    await north.getByRole("button", { name: "Accept proposal" }).click();
    await expect(north.getByRole("heading", { name: "Stage 2: Receiving by Dispatch" })).toBeVisible();
    await expect(north.getByRole("heading", { name: "On hold: not feasible" })).toHaveCount(0);
    const history = north.getByRole("region", { name: "History" });
    await expect(history.getByText("Accepted dispatch's proposal: back to Receiving by Dispatch")).toBeVisible();
    await expect(history.getByText(/^Order Quantity: .* → 20$/)).toBeVisible();
  });
});
