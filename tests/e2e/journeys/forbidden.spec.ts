import { completeStage, decideFeasibility, expect, inDays, openOrder, stageForm, test } from "../fixtures";

test.describe("what a role may not do, it cannot do", () => {
  test("the South store manager opening a North order gets a not-found page", async ({ as, orders }) => {
    const order = orders.forbidden.otherStore;
    const south = await as("south");
    const response = await south.goto(order.path);
    expect(response?.status()).toBe(404);
    await expect(south.getByRole("heading", { level: 1, name: "Not found" })).toBeVisible();
    await expect(south.getByText(order.number)).toHaveCount(0);
  });

  test("production cannot complete Receiving by Dispatch, not even with a crafted submit", async ({ as, orders }) => {
    const order = orders.forbidden.dispatchOwnsReceiving;
    const production = await as("production");
    await openOrder(production, order);
    // Production works in this stage (it may fill its fields) but dispatch owns it.
    await expect(production.getByRole("button", { name: "Save", exact: true })).toBeVisible();
    await expect(production.getByRole("button", { name: "Complete stage" })).toHaveCount(0);

    // Turn the Save button into a "complete" submit: the real server action must refuse it.
    await decideFeasibility(production, { feasible: true, start: inDays(1), end: inDays(10) });
    await production.getByRole("button", { name: "Save", exact: true }).evaluate((b) => b.setAttribute("value", "complete"));
    await production.getByRole("button", { name: "Save", exact: true }).click();
    await expect(stageForm(production).getByRole("alert")).toContainText(/Only .+ may do this/);
    await openOrder(production, order);
    await expect(production.getByRole("heading", { name: "Stage 2: Receiving by Dispatch" })).toBeVisible();
  });

  test("quality control cannot edit the production status, not even with a crafted submit", async ({ as, orders }) => {
    const order = orders.forbidden.qcReadsProduction;
    const qc = await as("qc");
    await openOrder(qc, order);
    await expect(qc.getByLabel("Production Status")).toBeDisabled();
    await expect(qc.getByLabel("Completion Percentage")).toBeDisabled();
    await expect(qc.getByRole("button", { name: "Save", exact: true })).toHaveCount(0);
    await expect(qc.getByRole("form", { name: "Record a quality inspection" })).toBeVisible();

    // The crafted submit: the stage form's own request as production sends it, with both fields
    // set and claimed as edited, caught before it leaves and sent again with QC's session. The
    // server action is a public endpoint: it must refuse QC itself, whatever the page offered.
    const production = await as("production");
    await openOrder(production, order);
    await production.getByLabel("Production Status").selectOption({ index: 2 });
    await production.getByLabel("Completion Percentage").fill("100");
    const caught = new Promise<import("@playwright/test").Request>((resolve) =>
      production.route(`**${order.path}`, async (route) => {
        if (route.request().method() !== "POST") return route.continue();
        resolve(route.request());
        await route.abort();
      }),
    );
    await production.getByRole("button", { name: "Save", exact: true }).click();
    const request = await caught;
    const { cookie: _ignored, ...headers } = await request.allHeaders();
    const answer = await qc.request.post(order.path, { headers, data: request.postDataBuffer() ?? undefined });
    expect(answer.status()).toBeLessThan(500);
    await openOrder(qc, order);
    await expect(qc.getByLabel("Production Status")).toHaveValue("");
    await expect(qc.getByLabel("Completion Percentage")).toHaveValue("");

    // The same request with production's own session saves: it was a real call of the action.
    await production.unrouteAll();
    expect((await production.request.post(order.path, { headers, data: request.postDataBuffer() ?? undefined })).status()).toBe(200);
    await openOrder(qc, order);
    await expect(qc.getByLabel("Completion Percentage")).toHaveValue("100");
  });

  test("a save from a stale page conflicts only on the field a colleague changed: both values shown, the input kept", async ({ as, orders }) => {
    const order = orders.forbidden.staleForm;
    const dispatch = await as("dispatch");
    const production = await as("production");
    await openOrder(dispatch, order);
    // Dispatch writes in the field (a page with typed input is never refreshed under it).
    await dispatch.getByLabel("Special Requirements").fill("Gift wrap every piece");

    // Meanwhile production, who works in this stage, notes a requirement.
    await openOrder(production, order);
    await production.getByLabel("Special Requirements").fill("Needs the wide press: book slot B");
    await production.getByRole("button", { name: "Save", exact: true }).click();
    await expect(production.getByRole("status").filter({ hasText: "Saved 1 field" })).toBeVisible();

    // Dispatch, on the page loaded before, saves the same field.
    await dispatch.getByRole("button", { name: "Save", exact: true }).click();
    const conflict = stageForm(dispatch).getByRole("alert");
    await expect(conflict).toContainText("This order changed since you opened it");
    await expect(conflict).toContainText("Pat Production");
    await expect(conflict).toContainText("Special Requirements: — → Needs the wide press: book slot B");
    await expect(dispatch.getByLabel("Special Requirements")).toHaveValue("Gift wrap every piece");

    // Having seen both, dispatch presses again: its own value is saved.
    await dispatch.getByRole("button", { name: "Save", exact: true }).click();
    await expect(dispatch.getByRole("status").filter({ hasText: "Saved 1 field" })).toBeVisible();
    await openOrder(production, order);
    await expect(production.getByLabel("Special Requirements")).toHaveValue("Gift wrap every piece");

    // A change to another field is no conflict: dispatch decides and completes at once.
    await decideFeasibility(dispatch, { feasible: true, start: inDays(3), end: inDays(12) });
    await completeStage(dispatch, "Stage completed: now in In Production");
  });
});
