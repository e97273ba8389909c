import { stage } from "@/lib/workflow";
import { completeStage, createOrder, decideFeasibility, expect, fillReceipt, fillShipment, inDays, openOrder, recordInspection, saveProduction, stageForm, test } from "../fixtures";

test("an order goes from the North store through dispatch, production and QC, and back to the store", async ({ as }) => {
  test.setTimeout(180_000);
  const north = await as("north");
  const dispatch = await as("dispatch");
  const production = await as("production");
  const qc = await as("qc");
  const specs = "Walnut reception desk, 180 × 80 cm, brass kick plate, engraved store logo";
  const nowIn = (key: Parameters<typeof stage>[0]) => `Stage completed: now in ${stage(key).name}`;

  const order = await test.step("the North store manager creates the order with a PDF and sends it to dispatch", async () => {
    const order = await createOrder(north, { specs, quantity: 3, delivery: inDays(28), pdf: true });
    await expect(north.getByRole("region", { name: "Attachments" }).getByRole("link", { name: "reference-design.pdf" })).toBeVisible();
    await completeStage(north, nowIn("dispatchReceiving"));
    return order;
  });

  await test.step("dispatch marks it feasible with a schedule", async () => {
    await openOrder(dispatch, order);
    await expect(dispatch.getByRole("heading", { name: "Stage 2: Receiving by Dispatch" })).toBeVisible();
    await decideFeasibility(dispatch, { feasible: true, start: inDays(2), end: inDays(20) });
    await dispatch.getByLabel("Special Requirements").fill("Deliver before store opening hours");
    await completeStage(dispatch, nowIn("inProduction"));
  });

  await test.step("production reports progress while QC records a fail, then a pass", async () => {
    await openOrder(production, order);
    await saveProduction(production, "In progress", 60);

    await openOrder(qc, order);
    await recordInspection(qc, "Fail", "Veneer seam visible on the left panel");
    const inspection = (notes: string) => qc.getByRole("listitem").filter({ hasText: notes }).filter({ hasNot: qc.getByRole("time") });
    await expect(inspection("Veneer seam visible on the left panel").getByText("Fail", { exact: true })).toBeVisible();

    // A fail keeps the order in production: it cannot complete until a later inspection passes.
    await openOrder(production, order);
    await saveProduction(production, "Completed", 100);
    await production.getByRole("checkbox", { name: /^Complete with \d+ open to-dos?$/ }).check();
    await production.getByRole("button", { name: "Complete stage" }).click();
    const refusal = stageForm(production).getByRole("alert");
    await expect(refusal).toContainText("This stage cannot be completed yet");
    await expect(refusal).toContainText("The latest inspection failed");

    await openOrder(qc, order);
    await recordInspection(qc, "Pass", "Seam reworked, finish even");
    // Every inspection is kept: the fail stays beside the pass.
    await expect(inspection("Veneer seam visible on the left panel").getByText("Fail", { exact: true })).toBeVisible();
    await expect(inspection("Seam reworked, finish even").getByText("Pass", { exact: true })).toBeVisible();
  });

  await test.step("production completes the stage", async () => {
    await openOrder(production, order);
    await completeStage(production, nowIn("dispatching"));
  });

  await test.step("dispatch ships it with method, tracking number and ETA", async () => {
    await openOrder(dispatch, order);
    await fillShipment(dispatch, { method: "Freight", tracking: "FRT-20931-NL", eta: `${inDays(6)}T09:30` });
    await completeStage(dispatch, nowIn("storeReceived"));
  });

  await test.step("the North store manager confirms receipt, condition and a rating", async () => {
    await openOrder(north, order);
    await fillReceipt(north, { receivedBy: "Nora North", condition: "Good", rating: 5, comment: "Exactly as drawn" });
    await completeStage(north, north.getByRole("heading", { name: "All stages" }));
    await expect(north.getByRole("list", { name: "Stage progress" }).getByRole("listitem")).toHaveText(Array(5).fill(/\(done\)$/));
  });

  await test.step("the order is completed and its history names every step and who did it", async () => {
    await openOrder(north, order);
    await expect(north.getByRole("heading", { name: "All stages" })).toBeVisible();
    const history = north.getByRole("region", { name: "History" }).getByRole("listitem");
    const steps: [RegExp | string, string][] = [
      ["Order created", "Nora North"],
      ["Attached reference-design.pdf", "Nora North"],
      [`Completed Store Order; now in Receiving by Dispatch`, "Nora North"],
      [/^Order Feasibility: — → Feasible/, "Dana Dispatch"],
      [/^Production Schedule: — → /, "Dana Dispatch"],
      ["Special Requirements: — → Deliver before store opening hours", "Dana Dispatch"],
      ["Completed Receiving by Dispatch; now in In Production", "Dana Dispatch"],
      ["Production Status: — → In progress", "Pat Production"],
      ["Completion Percentage: — → 60", "Pat Production"],
      ["Quality inspection: fail — Veneer seam visible on the left panel", "Quinn Quality"],
      ["Production Status: In progress → Completed", "Pat Production"],
      ["Completion Percentage: 60", "Pat Production"],
      ["Quality inspection: pass — Seam reworked, finish even", "Quinn Quality"],
      ["Completed In Production; now in Dispatching", "Pat Production"],
      ["Shipment Method: — → Freight", "Dana Dispatch"],
      ["Tracking Number: — → FRT-20931-NL", "Dana Dispatch"],
      [/^Estimated Delivery Time: — → /, "Dana Dispatch"],
      ["Completed Dispatching; now in Store Received", "Dana Dispatch"],
      [/^Receipt Confirmation: — → .*Nora North/, "Nora North"],
      ["Product Condition: — → Good", "Nora North"],
      [/^Customer Feedback: — → .*5/, "Nora North"],
      [/^Order completed/, "Nora North"],
    ];
    for (const [what, who] of steps) {
      const entry = history.filter({ has: north.getByText(what) });
      await expect(entry.first(), `history: ${what}`).toContainText(who);
    }
    await expect(north.getByText("Exactly as drawn").first()).toBeVisible();
  });
});
