import { Webhook } from "standardwebhooks";
import { expect, test } from "../fixtures";
import { startReceiver } from "../../webhook-receiver";

/**
 * The API and webhooks (issue 20) end to end: an administrator makes an API key for the North
 * store manager and a webhook endpoint for North's orders in the browser, copying each secret
 * from the page; a client (fetch, as curl would) creates an order with the key; the store manager
 * sees it in the app; and the receiver on 127.0.0.1 gets `order.created`, whose signature the
 * standardwebhooks package verifies with the secret the page showed.
 */
test("an admin makes a key and an endpoint; an order created through the API shows in the app and reaches the receiver signed", async ({ as, baseURL }) => {
  const receiver = await startReceiver();
  try {
    const admin = await as("admin");
    await admin.goto("/orders");
    await admin.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API keys" }).click();
    await expect(admin.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();
    const keyForm = admin.getByRole("form", { name: "New API key" });
    await keyForm.getByLabel(/^Account\b/).selectOption({ label: "Nora North (Store Manager)" });
    await keyForm.getByLabel(/^Name\b/).fill("Web shop (journey)");
    await keyForm.getByRole("button", { name: "Create key" }).click();
    await expect(admin.getByRole("heading", { name: "New API key: copy it now" })).toBeVisible();
    const key = (await admin.getByTestId("one-time-secret").textContent())!.trim();
    expect(key).toMatch(/^ml_live_[A-Za-z0-9_-]{43}$/);
    // Listed by its prefix only, with its creator; the secret is not on the page once it is left.
    await admin.reload();
    await expect(admin.getByRole("article", { name: "Web shop (journey)" }).first()).toContainText(`${key.slice(0, 14)}…`);
    await expect(admin.getByText(key)).toHaveCount(0);

    await admin.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Webhooks" }).click();
    const hookForm = admin.getByRole("form", { name: "New webhook endpoint" });
    await hookForm.getByLabel(/^URL\b/).fill(receiver.url("/makeline/journey"));
    await hookForm.getByLabel("Description", { exact: true }).fill("ERP inbox");
    await hookForm.getByRole("checkbox", { name: "order.created" }).check();
    await hookForm.getByLabel("Store", { exact: true }).selectOption({ label: "North" });
    await hookForm.getByRole("button", { name: "Add endpoint" }).click();
    await expect(admin.getByRole("heading", { name: "Signing secret: copy it now" })).toBeVisible();
    const secret = (await admin.getByTestId("one-time-secret").textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);

    // The web shop's side: a plain HTTP client with the key.
    const me = await fetch(`${baseURL}/api/v1/me`, { headers: { Authorization: `Bearer ${key}` } });
    expect(me.status).toBe(200);
    const { account } = (await me.json()) as { account: { storeIds: number[] } };
    const created = await fetch(`${baseURL}/api/v1/orders`, {
      method: "POST",
      headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json", "Idempotency-Key": `journey-${Date.now()}` },
      body: JSON.stringify({ storeId: account.storeIds[0], productSpecifications: "Web shop order: cherry side table, 60 cm", orderQuantity: 4, requiredDeliveryDate: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10) }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("ratelimit-limit")).toMatch(/^\d+$/);
    const order = (await created.json()) as { number: string; version: number };

    // The store manager finds it in the app, made by the integration's account.
    const north = await as("north");
    await north.goto(`/orders?view=all&q=${order.number}`);
    await north.getByRole("link", { name: order.number }).first().click();
    await expect(north.getByRole("heading", { level: 1, name: order.number })).toBeVisible();
    await expect(north.getByText("Web shop order: cherry side table, 60 cm").first()).toBeVisible();

    // The receiver got order.created for it, signed with the secret the page showed.
    await expect.poll(() => receiver.received.filter((r) => r.path === "/makeline/journey" && r.body.includes(order.number)).length, { timeout: 15_000 }).toBe(1);
    const got = receiver.received.find((r) => r.body.includes(order.number))!;
    const event = new Webhook(secret).verify(got.body, got.headers as Record<string, string>) as { type: string; data: { order: { number: string; version: number } } };
    expect(event.type).toBe("order.created");
    expect(event.data.order).toMatchObject({ number: order.number, version: order.version });

    // The endpoint's page logs the delivery with the receiver's answer.
    await admin.getByRole("link", { name: receiver.url("/makeline/journey") }).click();
    const row = admin.getByRole("row").filter({ hasText: order.number });
    await expect(row).toContainText("delivered");
    await expect(row).toContainText("200");
  } finally {
    await receiver.close();
  }
});
