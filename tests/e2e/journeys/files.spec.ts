import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, openOrder, test } from "../fixtures";

/**
 * Files outside the database (issue #19), the way a store manager sends them: a drawing of tens of
 * megabytes chosen on the order page goes from the browser straight to the S3-compatible server
 * (s3rver, started by tests/e2e/run.ts) with its progress shown, is attached, and comes back
 * byte-identical for someone who may read the order, and not for another store.
 * E2E_UPLOAD_MB sets the drawing's size (default 50).
 */

const UPLOAD_MB = Number(process.env.E2E_UPLOAD_MB ?? 50);

/** A PDF-headed file of random bytes (nothing to compress) on disk, and its SHA-256. */
function drawing(dir: string, name: string, bytes: number) {
  mkdirSync(dir, { recursive: true });
  const content = randomBytes(bytes);
  content.write("%PDF-1.7\n", 0);
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return { file, sha256: createHash("sha256").update(content).digest("hex") };
}

const attachments = (page: import("@playwright/test").Page) => page.getByRole("region", { name: "Attachments" });

test(`a ${UPLOAD_MB} MB drawing goes straight to object storage and comes back byte-identical, for its readers only`, async ({ as, orders }, testInfo) => {
  test.setTimeout(240_000);
  const north = await as("north");
  const name = `staircase-${UPLOAD_MB}mb.pdf`;
  const { file, sha256 } = drawing(testInfo.outputPath("files"), name, UPLOAD_MB * 1024 * 1024);
  await openOrder(north, orders.files.drawing);

  const sentToStorage: string[] = [];
  north.on("request", (r) => {
    if (r.method() === "PUT") sentToStorage.push(new URL(r.url()).origin);
  });
  await north.getByLabel("Add reference designs").setInputFiles(file);
  const started = Date.now();
  await north.getByRole("button", { name: "Attach" }).click();
  const link = attachments(north).getByRole("link", { name });
  await expect(link).toBeVisible({ timeout: 180_000 });
  const seconds = (Date.now() - started) / 1000;
  console.log(`[files] ${UPLOAD_MB} MB from the browser to s3rver and attached: ${seconds.toFixed(1)} s`);
  testInfo.annotations.push({ type: "upload", description: `${UPLOAD_MB} MB in ${seconds.toFixed(1)} s` });
  // The bytes went to the file store, not through the app.
  expect(sentToStorage).toEqual([new URL(process.env.E2E_S3_ENDPOINT!).origin]);
  await expect(attachments(north)).toContainText(`${UPLOAD_MB} MB`);
  await expect(north.locator("main")).toContainText(`Attached ${name}`);

  const href = (await link.getAttribute("href"))!;
  const back = await north.request.get(href);
  expect(back.status()).toBe(200);
  expect(back.headers()["content-type"]).toBe("application/pdf");
  expect(createHash("sha256").update(await back.body()).digest("hex")).toBe(sha256);

  // Dispatch reads every store's orders; the South store's manager reads none of North's.
  const dispatch = await as("dispatch");
  const theirs = await dispatch.request.get(href);
  expect(theirs.status()).toBe(200);
  expect(createHash("sha256").update(await theirs.body()).digest("hex")).toBe(sha256);
  const south = await as("south");
  const refused = await south.request.get(href, { maxRedirects: 0 });
  expect(refused.status()).toBe(404);
  expect(refused.headers().location).toBeUndefined();
});

test("the upload shows its progress on a slow line, and the file is attached once it is through", async ({ as, orders }, testInfo) => {
  test.setTimeout(120_000);
  const north = await as("north");
  const { file } = drawing(testInfo.outputPath("files"), "partition-photos.pdf", 3 * 1024 * 1024);
  await openOrder(north, orders.files.progress);
  const cdp = await north.context().newCDPSession(north);
  await cdp.send("Network.enable");
  // About 1 MB a second up: three seconds for the file.
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 1024 * 1024 });
  await north.getByLabel("Add reference designs").setInputFiles(file);
  await north.getByRole("button", { name: "Attach" }).click();
  const bar = north.getByRole("progressbar", { name: "Sending partition-photos.pdf" });
  await expect(bar).toBeVisible();
  await expect(north.getByRole("button", { name: "Sending…" })).toBeDisabled();
  await expect.poll(() => bar.evaluate((el) => (el as HTMLProgressElement).value).catch(() => 100), { timeout: 20_000 }).toBeGreaterThan(0);
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await expect(attachments(north).getByRole("link", { name: "partition-photos.pdf" })).toBeVisible({ timeout: 60_000 });
});

test("a file that is not a PDF or an image is refused beside the field before anything is sent (one too large: hardening.spec.ts)", async ({ as, orders }, testInfo) => {
  const north = await as("north");
  await openOrder(north, orders.files.refused);
  const dir = testInfo.outputPath("files");
  mkdirSync(dir, { recursive: true });
  const page = path.join(dir, "invoice.pdf");
  writeFileSync(page, "<html><script>alert('not a pdf')</script></html>");
  let posted = 0;
  north.on("request", (r) => (posted += r.method() === "POST" || r.method() === "PUT" ? 1 : 0));

  const field = north.getByLabel("Add reference designs");
  await field.setInputFiles(page);
  await expect(field).toHaveAccessibleDescription(/invoice\.pdf is not a PDF or an image \(PNG, JPEG, GIF, WebP\)/);
  await north.getByRole("button", { name: "Attach" }).click();
  await expect(field).toBeFocused();
  expect(posted).toBe(0);
  await expect(attachments(north)).toContainText("No reference designs attached.");
});
