import { expect, openOrder, test } from "../fixtures";

/**
 * SPEC.md, KPI page, quality by reason: quality control fails an inspection for "finish", and
 * the KPI page's Pareto of fail reasons counts it and links to the order. The period is today
 * alone, so no earlier view of the page (its figures are kept a minute) answers for it.
 */
test("a failed inspection for finish is counted in the KPI page's Pareto, which links to the order", async ({ as, orders }) => {
  const order = orders.qualityByReason.failedForFinish;
  const qc = await as("qc");
  await openOrder(qc, order);
  const form = qc.getByRole("form", { name: "Record a quality inspection" });
  await form.getByRole("radio", { name: "Fail", exact: true }).check();
  await form.getByLabel(/^Notes/).fill("Orange peel in the lacquer on the top");
  // No reason ticked: the form says so beside the reasons and keeps what was typed.
  await form.getByRole("button", { name: "Record inspection" }).click();
  await expect(form.getByText("Choose at least one fail reason")).toBeVisible();
  await expect(form.getByLabel(/^Notes/)).toHaveValue("Orange peel in the lacquer on the top");
  await form.getByRole("checkbox", { name: "Finish", exact: true }).check();
  await form.getByRole("button", { name: "Record inspection" }).click();
  await expect(form.getByRole("status").filter({ hasText: "Inspection recorded" })).toBeVisible();
  await expect(qc.getByTestId("fail-reasons").first()).toHaveText("Finish:");

  const ops = await as("ops");
  const today = new Date().toISOString().slice(0, 10);
  await ops.goto(`/kpi?period=custom&from=${today}&to=${today}`);
  await expect(ops.getByRole("heading", { name: "Fail reasons" })).toBeVisible();
  const finish = ops.getByTestId("fail-reasons-table").getByRole("row").filter({ has: ops.getByRole("link", { name: "Finish", exact: true }) });
  const counted = Number(await finish.getByRole("cell").first().textContent());
  expect(counted).toBeGreaterThanOrEqual(1);
  // The bar in the chart is the same link.
  await expect(ops.locator('svg[data-chart="Fail reasons"] a[aria-label^="Finish:"] rect')).toHaveAttribute("data-failed", String(counted));
  await finish.getByRole("link", { name: "Finish", exact: true }).click();
  await expect(ops).toHaveURL(/\/orders\?.*failReason=\d+/);
  await expect(ops.getByTestId("fail-reason-filter")).toContainText("Finish");
  await expect(ops.getByRole("link", { name: new RegExp(order.number) }).first()).toBeVisible();
});
