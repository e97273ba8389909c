import { expect, openOrder, stageForm, test } from "../fixtures";

/**
 * SPEC: When a delivery goes wrong, and Next step, everywhere — the way a store, dispatch and
 * production work them: a store receives goods damaged, tries to complete without a photo, adds
 * one, and asks for a replacement that dispatch sees first in its queue, with what happens next.
 */

const png = (name: string) => ({
  name,
  mimeType: "image/png",
  buffer: Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64"),
});

test("received Damaged: no photo is refused beside the photos, typing kept; with one it completes, and the replacement goes first to dispatch", async ({ as, orders }) => {
  const order = orders.deliveryProblems.damagedShelf;
  const store = await as("north");
  await openOrder(store, order);
  await expect(store.getByTestId("next-step")).toContainText(/In transit — ETA|Delivery due/);

  await store.getByLabel("Receipt Confirmation").fill("Nora North");
  await store.getByLabel("Product Condition").selectOption({ label: "Damaged" });
  await store.getByLabel("Condition Note").fill("One bracket snapped, the shelf is scratched along the front");
  const confirm = store.getByRole("checkbox", { name: /^Complete with \d+ open to-dos?$/ });
  await confirm.check();
  await store.getByRole("button", { name: "Complete stage" }).click();

  // Refused, beside the photo field, and nothing typed is lost.
  const alert = store.getByRole("alert").filter({ hasText: "This stage cannot be completed yet" });
  await expect(alert).toBeVisible();
  await expect(alert.getByRole("link", { name: /Photos: Attach at least one photo/ })).toBeVisible();
  await expect(store.getByLabel("Photos")).toHaveAccessibleDescription(/Attach at least one photo/);
  await expect(store.getByLabel("Receipt Confirmation")).toHaveValue("Nora North");
  await expect(store.getByLabel("Product Condition")).toHaveValue("damaged");
  await expect(store.getByLabel("Condition Note")).toHaveValue("One bracket snapped, the shelf is scratched along the front");

  // A photo, and the same press completes the order with its condition on record.
  await store.getByLabel("Photos").setInputFiles(png("snapped-bracket.png"));
  if (await confirm.isVisible()) await confirm.check();
  await store.getByRole("button", { name: "Complete stage" }).click();
  const wrong = store.getByRole("region", { name: "Received damaged" });
  await expect(wrong).toBeVisible();
  await expect(wrong).toContainText("One bracket snapped");
  await expect(store.getByRole("region", { name: "Attachments" })).toContainText("snapped-bracket.png");

  // Ask for a replacement: prefilled from the received order; the store changes the quantity only.
  const ask = store.getByRole("form", { name: "Ask for a replacement" });
  await expect(ask.getByLabel("Product Specifications")).toHaveValue("E2E delivery: oak wall shelf, 120 × 25 cm, two brackets");
  await ask.getByLabel("Order Quantity").fill("1");
  await ask.getByRole("button", { name: "Ask for a replacement" }).click();
  await store.waitForURL((url) => /\/orders\/\d+$/.test(url.pathname) && url.pathname !== order.path);
  const replacementPath = new URL(store.url()).pathname;
  const replacementNumber = `MO-${replacementPath.split("/").pop()!.padStart(5, "0")}`;
  await expect(store.getByRole("heading", { level: 1, name: replacementNumber })).toBeVisible();
  await expect(store.getByText(`Replacement for ${order.number}`, { exact: true })).toBeVisible();
  await expect(store.getByTestId("next-step")).toHaveText(/Waiting for feasibility/);

  // Dispatch: first in its queue, above every order due sooner, with the next step on the row.
  const dispatch = await as("dispatch");
  await dispatch.goto("/orders");
  // (Other journeys' replacements may be there too: each run of the spec makes one.)
  const pinned = dispatch.getByRole("list", { name: "Replacements" }).getByRole("listitem").filter({ hasText: replacementNumber });
  await expect(pinned).toContainText(`replaces ${order.number}`);
  await expect(pinned.getByTestId("next-step")).toHaveText("Waiting for feasibility");
  // Above the queue's own rows, which say what happens next too.
  const queueRow = dispatch.getByRole(dispatch.viewportSize()!.width < 768 ? "listitem" : "row").filter({ has: dispatch.getByTestId("next-step") }).filter({ hasNotText: "replaces" }).first();
  await expect(queueRow.getByTestId("next-step")).toHaveText(/\S/);
  const [pinnedBox, rowBox] = await Promise.all([pinned.boundingBox(), queueRow.boundingBox()]);
  expect(pinnedBox!.y).toBeLessThan(rowBox!.y);
  // And dispatch was told of the damage, with the store's note.
  await dispatch.goto("/inbox");
  await expect(dispatch.getByText(/North received the order damaged: One bracket snapped/).first()).toBeVisible();
  // The original names its replacement.
  await openOrder(dispatch, order);
  await expect(dispatch.getByRole("region", { name: "Received damaged" })).toContainText(`A replacement was asked for: ${replacementNumber}`);
});

test("a failed inspection shows above the In Production form, and the header says rework", async ({ as, orders }) => {
  const order = orders.deliveryProblems.reworkStools;
  const production = await as("production");
  await openOrder(production, order);
  await expect(production.getByTestId("next-step")).toHaveText(/Rework \(QC failed ×1\)/);
  const banner = production.getByTestId("failed-inspections");
  await expect(banner).toContainText("Rework: quality control failed this order ×1");
  await expect(banner).toContainText("Seat height differs by 1 cm");
  // Above the form: the banner comes before the first field.
  const form = stageForm(production);
  const [bannerBox, fieldBox] = await Promise.all([banner.boundingBox(), form.getByLabel("Production Status").boundingBox()]);
  expect(bannerBox!.y).toBeLessThan(fieldBox!.y);
});
