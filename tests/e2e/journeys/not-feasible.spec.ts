import { DEMO_PASSWORD } from "@/lib/demo/accounts";
import { completeStage, decideFeasibility, expect, openOrder, test } from "../fixtures";

test("an order dispatch cannot fulfil alerts its store, by inbox and email, and is revised and resubmitted", async ({ as, orders, browser, baseURL, request }) => {
  test.setTimeout(120_000);
  const order = orders.notFeasible.marbleSlab;
  const message = "Order cannot be fulfilled - please contact dispatch team";

  await test.step("dispatch marks the order not feasible", async () => {
    const dispatch = await as("dispatch");
    await openOrder(dispatch, order);
    await decideFeasibility(dispatch, { feasible: false, reason: "No 3 m slab available this quarter" });
    await completeStage(dispatch, dispatch.getByRole("heading", { name: "On hold: not feasible" }));
  });

  await test.step("the North store manager sees a high-priority alert in the inbox", async () => {
    const north = await as("north");
    await north.goto("/inbox");
    const alert = north.getByRole("list", { name: "Alerts" }).getByRole("listitem").filter({ hasText: order.number });
    await expect(alert).toHaveCount(1);
    await expect(alert).toContainText(message);
    await expect(alert.getByText("High priority")).toBeVisible();
  });

  const link = await test.step("the dev mailbox holds one email for it, with a link to the order", async () => {
    // The scheduler's call (vercel.json): sends what the outbox holds. Repeating it sends nothing twice.
    for (let i = 0; i < 2; i++) {
      const run = await request.get("/api/cron/automations", { headers: { authorization: `Bearer ${process.env.E2E_CRON_SECRET}` } });
      expect(run.status()).toBe(200);
    }
    const north = await as("north");
    await north.goto("/dev/mailbox");
    const emails = north.getByRole("navigation", { name: "Emails" }).getByRole("link").filter({ hasText: order.number });
    await expect(emails).toHaveCount(1);
    await expect(emails).toContainText("store.north@example.com");
    await expect(emails).toContainText(message);
    await expect(emails).toContainText("High priority");
    await emails.click();
    const email = north.frameLocator("article iframe");
    const href = await email.getByRole("link", { name: /open/i }).first().getAttribute("href");
    expect(href).toBe(`${baseURL}${order.path}`);
    return href!;
  });

  await test.step("opening the link signed out leads through sign-in to the order", async () => {
    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();
    await page.goto(link);
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
    await page.getByLabel("Email").fill("store.north@example.com");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(new RegExp(`${order.path}$`));
    await expect(page.getByRole("heading", { level: 1, name: order.number })).toBeVisible();
    await expect(page.getByRole("heading", { name: "On hold: not feasible" })).toBeVisible();
    await expect(page.getByText("No 3 m slab available this quarter").first()).toBeVisible();

    await test.step("the store manager revises the order and resubmits it", async () => {
      await page.getByRole("button", { name: "Revise order" }).click();
      await expect(page.getByRole("heading", { name: "Stage 1: Store Order" })).toBeVisible();
      await page.getByLabel("Product Specifications").fill("Marble counter top, two 1.5 m slabs joined, polished edge");
      await completeStage(page, "Stage completed: now in Receiving by Dispatch");
      await expect(page.getByText("Revised: back to Store Order")).toBeVisible();
    });
    await context.close();
  });
});
