import { mkdirSync, truncateSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { APIResponse, Response } from "@playwright/test";
import { createOrder, expect, inDays, samplePdf, test } from "../fixtures";
import { sessionFile } from "../sessions";

/**
 * Issue #12 against the production build: the security headers on every kind of response, no
 * framing by another origin, the upload limits with the app's own words, hostile input answered
 * with a message or a 4xx, and one order per submission of the create form.
 */

type Headers = Record<string, string>;
const headersOf = (r: APIResponse | Response): Headers => r.headers();

/** The headers every response carries (lib/security/headers.ts). */
function expectCommonHeaders(h: Headers, what: string) {
  expect(h["x-frame-options"], what).toBe("DENY");
  expect(h["x-content-type-options"], what).toBe("nosniff");
  expect(h["referrer-policy"], what).toBe("strict-origin-when-cross-origin");
  expect(h["permissions-policy"], what).toMatch(/camera=\(\).*geolocation=\(\).*microphone=\(\)/);
  expect(h["content-security-policy"], what).toContain("frame-ancestors 'none'");
  // Served over plain HTTP here: no HSTS (it would be ignored, and it would pin a local host).
  expect(h["strict-transport-security"], what).toBeUndefined();
}

/** A page's policy: scripts only with this response's nonce, never inline or eval. */
function expectPagePolicy(h: Headers, what: string) {
  expectCommonHeaders(h, what);
  const csp = h["content-security-policy"];
  const scripts = /script-src ([^;]+)/.exec(csp)?.[1] ?? "";
  expect(scripts, what).toMatch(/'nonce-[A-Za-z0-9+/=]{20,}'/);
  expect(scripts, what).not.toContain("'unsafe-inline'");
  expect(scripts, what).not.toContain("'unsafe-eval'");
  expect(csp, what).toContain("object-src 'none'");
  expect(csp, what).toContain("base-uri 'self'");
}

test("every kind of response carries the security headers", async ({ as, request }) => {
  const north = await as("north");

  await test.step("pages: signed out and signed in, with a fresh nonce each time", async () => {
    const signIn = await request.get("/sign-in");
    expectPagePolicy(headersOf(signIn), "sign-in");
    const again = await request.get("/sign-in");
    expect(headersOf(again)["content-security-policy"]).not.toBe(headersOf(signIn)["content-security-policy"]);
    const orders = await north.goto("/orders");
    expectPagePolicy(headersOf(orders!), "orders");
    // The nonce of the policy is on the page's scripts.
    const nonce = /'nonce-([^']+)'/.exec(headersOf(orders!)["content-security-policy"])![1];
    const scripts = await north.locator("script[src]").evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce));
    // The page's own scripts carry the nonce; a chunk one of them loads later needs none
    // ('strict-dynamic' trusts what a trusted script adds), so it may have an empty one.
    expect(scripts.filter((n) => n === nonce).length).toBeGreaterThan(0);
    expect(new Set(scripts.filter((n) => n !== ""))).toEqual(new Set([nonce]));
    expectPagePolicy(headersOf(await request.get("/orders/1", { maxRedirects: 0 })), "redirect to sign-in");
  });

  await test.step("a server action's response", async () => {
    await north.goto("/orders/new");
    const [response] = await Promise.all([
      north.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith("/orders/new")),
      north.getByRole("button", { name: "Create order" }).click(),
    ]);
    expectCommonHeaders(headersOf(response), "server action");
  });

  await test.step("an attachment: a one-minute link to the file store, whose answer names the file and its checked type", async () => {
    const order = await createOrder(north, { specs: "Header check: oak shelf with a reference PDF", quantity: 1, delivery: inDays(20), pdf: true });
    const href = await north.getByRole("link", { name: samplePdf().name }).getAttribute("href");
    // The suite's files are in object storage (s3rver): the app answers with a redirect there, on
    // another origin, so a file never runs as the app's page. A file in the local folder is
    // streamed with a sandboxing policy of its own (tests/attachments.test.ts, lib/security).
    const redirect = await north.request.get(href!, { maxRedirects: 0 });
    expect(redirect.status()).toBe(302);
    expectCommonHeaders(headersOf(redirect), "attachment");
    expect(headersOf(redirect)["cache-control"]).toBe("private, no-store");
    const location = headersOf(redirect).location;
    expect(new URL(location).origin).toBe(new URL(process.env.E2E_S3_ENDPOINT!).origin);
    expect(new URL(location).searchParams.get("X-Amz-Expires")).toBe("60");
    const file = await north.request.get(location);
    expect(file.status()).toBe(200);
    expect(headersOf(file)["content-type"]).toBe("application/pdf");
    expect(headersOf(file)["content-disposition"]).toBe(`inline; filename*=UTF-8''${samplePdf().name}`);
    expect((await north.request.get(`/orders/${order.id}/attachments/0${href!.split("/").pop()}`)).status()).toBe(404);
  });

  await test.step("the KPI export (CSV)", async () => {
    const ops = await as("ops");
    const csv = await ops.request.get("/kpi/export?period=30");
    expect(csv.status()).toBe(200);
    expect(headersOf(csv)["content-type"]).toContain("text/csv");
    expectCommonHeaders(headersOf(csv), "CSV");
  });

  await test.step("API routes", async () => {
    expectCommonHeaders(headersOf(await request.get("/api/health")), "health");
    expectCommonHeaders(headersOf(await request.get("/api/cron/automations")), "cron");
  });
});

test("another origin cannot frame an order page", async ({ browser, baseURL, orders }) => {
  const order = orders.pages.inProduction;
  // A context of its own: the refusal is reported as a CSP violation on purpose here.
  const context = await browser.newContext({ storageState: undefined });
  const page = await context.newPage();
  const refused: string[] = [];
  page.on("console", (m) => refused.push(m.text()));
  await page.setContent(`<iframe title="framed" src="${baseURL}${order.path}" width="600" height="400"></iframe>`);
  await expect.poll(() => refused.join("\n")).toMatch(/frame-ancestors 'none'|X-Frame-Options/);
  // The frame shows no Makeline page, not even the sign-in form it would redirect to.
  await expect(page.frameLocator("iframe").getByRole("heading")).toHaveCount(0);
  await context.close();
});

test("hostile input gets a message or a 4xx page, never a 500", async ({ as }) => {
  const north = await as("north");
  await test.step("ids in another spelling are not found", async () => {
    for (const path of ["/orders/0x1a3", "/orders/419e0", "/orders/0419", "/orders/-1", "/orders/99999999999", "/orders/1.0"]) {
      expect((await north.goto(path))?.status(), path).toBe(404);
    }
  });

  await test.step("a NUL byte in a text field is a message beside that field", async () => {
    await north.goto("/orders/new");
    await north.getByLabel("Product Specifications").fill("Oak shelf \u0000 with a NUL byte in it");
    await north.getByLabel("Order Quantity").fill("1e3");
    await north.getByLabel("Required Delivery Date").fill(inDays(10));
    await north.getByRole("button", { name: "Create order" }).click();
    await expect(north.getByLabel("Product Specifications")).toHaveAccessibleDescription("Remove the invisible control characters from this text");
    await expect(north.getByLabel("Order Quantity")).toHaveAccessibleDescription("Order Quantity must be a whole number");
    await expect(north).toHaveURL(/\/orders\/new$/);
  });

  await test.step("the KPI page and its export refuse a store that is no store", async () => {
    const admin = await as("admin");
    expect((await admin.goto("/kpi?store=99999999999"))?.status()).toBe(404);
    expect((await admin.request.get("/kpi/export?store=99999999999")).status()).toBe(400);
    expect((await admin.request.get("/kpi/export?store=999999")).status()).toBe(404);
    expect((await admin.request.get("/kpi/export?period=custom&from=2027-02-31&to=2027-03-02")).status()).toBe(400);
  });
});

test("a file over the limit is refused in the browser, and a body over it by the server, in the app's words", async ({ as, request }, testInfo) => {
  const north = await as("north");
  await north.goto("/orders/new");
  // One byte over the 100 MB a file may be (sent straight to storage): a sparse file, nothing is read.
  const big = testInfo.outputPath("too-big.pdf");
  mkdirSync(path.dirname(big), { recursive: true });
  writeFileSync(big, "%PDF-1.7\n");
  truncateSync(big, 100 * 1024 * 1024 + 1);
  await north.getByLabel("Reference designs").setInputFiles(big);
  await expect(north.getByLabel("Reference designs")).toHaveAccessibleDescription(/too-big\.pdf is 100 MB: each file may be at most 100 MB/);
  await north.getByLabel("Product Specifications").fill("Upload limit check: walnut table");
  await north.getByLabel("Order Quantity").fill("1");
  await north.getByLabel("Required Delivery Date").fill(inDays(10));
  let posted = false;
  north.on("request", (r) => (posted ||= r.method() === "POST"));
  await north.getByRole("button", { name: "Create order" }).click();
  await expect(north.getByLabel("Reference designs")).toBeFocused();
  expect(posted).toBe(false);

  // Without the browser's check (no script, or a crafted request) the proxy answers first.
  const body = Buffer.alloc(5 * 1024 * 1024, 0x61);
  const page = await request.post("/orders/new", { data: body, headers: { "content-type": "multipart/form-data; boundary=x" } });
  expect(page.status()).toBe(413);
  expect(await page.text()).toContain("This upload is too large: attach at most 4 MB at once");
  const action = await request.post("/orders/new", { data: body, headers: { "content-type": "multipart/form-data; boundary=x", "next-action": "0".repeat(42) } });
  expect(action.status()).toBe(413);
  expect(headersOf(action)["content-type"]).toBe("text/plain");
});

test("posting the same create form twice makes one order", async ({ browser, baseURL }) => {
  // Without script the form posts as a plain HTML form, which a retry or a double click repeats.
  const storageState = await sessionFile(browser, baseURL!, "store.north@example.com");
  const context = await browser.newContext({ baseURL, javaScriptEnabled: false, storageState });
  const page = await context.newPage();
  await page.goto("/orders/new");
  await page.getByLabel("Product Specifications").fill("Idempotency check: one birch bench, posted twice");
  await page.getByLabel("Order Quantity").fill("1");
  await page.getByLabel("Required Delivery Date").fill(inDays(12));
  const [post] = await Promise.all([page.waitForRequest((r) => r.method() === "POST"), page.getByRole("button", { name: "Create order" }).click()]);
  await page.waitForURL(/\/orders\/\d+$/);
  const first = new URL(page.url()).pathname;

  // The same request again, twice at once: each answer points at the order the first one made.
  const headers = Object.fromEntries(Object.entries(await post.allHeaders()).filter(([name]) => !["content-length", "host", "cookie"].includes(name)));
  const again = () => context.request.post(post.url(), { headers, data: post.postDataBuffer()!, maxRedirects: 0 });
  for (const response of await Promise.all([again(), again()])) {
    expect(response.status()).toBe(303);
    expect(new URL(response.headers().location, baseURL).pathname).toBe(first);
  }
  await context.close();
});

test("an action called with arguments that are no form is a 400, and a form of another shape a refusal, never a 500", async ({ as, request }) => {
  const north = await as("north");
  await north.goto("/account");
  // A real action call, as the page makes it: its id and its form.
  const [call] = await Promise.all([north.waitForRequest((r) => r.method() === "POST" && Boolean(r.headers()["next-action"])), north.getByRole("button", { name: "Save time zone" }).click()]);
  const headers = { "next-action": call.headers()["next-action"], "next-router-state-tree": call.headers()["next-router-state-tree"] ?? "", accept: "text/x-component" };
  const cookie = (await north.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");

  for (const body of ["[42]", '["orderId=1"]', '[{"timeZone":"UTC"}]', "[null,null]", "not json"]) {
    const response = await request.post("/account", { headers: { ...headers, cookie, "content-type": "text/plain;charset=UTF-8" }, data: body });
    expect(response.status(), body).toBe(400);
  }
  // No arguments at all (what an action that reads none is sent), and a form-shaped body that
  // encodes other values (React's reply format: the arguments in part "0"): the form's refusal.
  const none = await request.post("/account", { headers: { ...headers, cookie, "content-type": "text/plain;charset=UTF-8" }, data: "[]" });
  expect(none.status()).toBeLessThan(500);
  const multipart = await request.post("/account", { headers: { ...headers, cookie }, multipart: { "0": '[42,"x"]' } });
  expect(multipart.status()).toBeLessThan(500);
});

test("HEAD on the cron route, even with the secret, runs no pass", async ({ request }) => {
  const authorization = `Bearer ${process.env.E2E_CRON_SECRET}`;
  const head = await request.head("/api/cron/automations", { headers: { authorization } });
  expect(head.status()).toBe(405);
  expect(head.headers()["allow"]).toBe("GET");
});
