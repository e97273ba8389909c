import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import type { Page } from "@playwright/test";
import { DEMO_PASSWORD } from "@/lib/demo/accounts";
import { accounts, expect, openOrder, test } from "../fixtures";

/**
 * The job traveller as the shop floor uses it: printed by the browser on A4 and on Letter, one
 * page each; the paper's QR code read back from the printed image (Chromium's PDF, rendered by
 * poppler's pdftoppm, decoded by jsQR) opens the order, through sign-in on a phone signed out.
 */

const work = mkdtempSync(path.join(tmpdir(), "traveller-"));
test.afterAll(() => rmSync(work, { recursive: true, force: true }));

async function printed(page: Page, name: string, format: "A4" | "Letter") {
  await page.emulateMedia({ media: "print" });
  const file = path.join(work, `${name}-${format}.pdf`);
  writeFileSync(file, await page.pdf({ format, printBackground: true, preferCSSPageSize: false }));
  await page.emulateMedia({ media: null });
  const pages = Number(/^Pages:\s+(\d+)/m.exec(execFileSync("pdfinfo", [file], { encoding: "utf8" }))?.[1]);
  return { file, pages };
}

/** The QR codes' texts on the first page of a printed PDF, as a phone's camera reads the paper. */
function qrOnPaper(pdf: string): string | null {
  const out = path.join(work, path.basename(pdf, ".pdf"));
  execFileSync("pdftoppm", ["-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile", pdf, out]);
  const png = PNG.sync.read(readFileSync(`${out}.png`));
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
}

test("print the traveller: one page on A4 and Letter, every stage's boxes, and a QR code that opens the order", async ({ as, orders, baseURL }) => {
  const order = orders.floor.traveller;
  const page = await as("production");
  await openOrder(page, order);
  await page.getByRole("link", { name: "Print traveller" }).click();
  const sheet = page.getByRole("article", { name: `Traveller ${order.number}` });
  await expect(sheet.getByRole("heading", { level: 1, name: order.number })).toBeVisible();
  await expect(sheet).toContainText("oak workbench, 2.4 m");
  await expect(sheet).toContainText("Oil finish, no lacquer");
  // The latest inspection, and empty boxes for what later stages will write by hand.
  await expect(sheet).toContainText("Pass — Top flat within 0.5 mm");
  expect(await sheet.getByText("Not filled in", { exact: true }).count()).toBeGreaterThanOrEqual(7);
  await expect(sheet.getByRole("list", { name: "To-dos of In Production" }).getByRole("listitem")).toHaveCount(3);
  // No app chrome on the sheet's page.
  await expect(page.getByRole("navigation", { name: "Main" })).toHaveCount(0);

  const a4 = await printed(page, order.number, "A4");
  const letter = await printed(page, order.number, "Letter");
  expect(a4.pages, "pages on A4").toBe(1);
  expect(letter.pages, "pages on Letter").toBe(1);
  const orderUrl = new URL(order.path, baseURL).href;
  expect(qrOnPaper(a4.file)).toBe(orderUrl);
  expect(qrOnPaper(letter.file)).toBe(orderUrl);

  // Scanned on a phone that is signed out: sign-in first, then the order.
  const phone = await page.context().browser()!.newContext({ viewport: { width: 390, height: 844 } });
  try {
    const scan = await phone.newPage();
    await scan.goto(orderUrl);
    await expect(scan).toHaveURL(/\/sign-in\?callbackUrl=/);
    await scan.getByLabel("Email").fill(accounts.production);
    await scan.getByLabel("Password").fill(DEMO_PASSWORD);
    await scan.getByRole("button", { name: "Sign in" }).click();
    await expect(scan.getByRole("heading", { level: 1, name: order.number })).toBeVisible();
    expect(new URL(scan.url()).pathname).toBe(order.path);
  } finally {
    await phone.close();
  }
});

test("another store's traveller does not exist", async ({ as, orders }) => {
  const south = await as("south");
  const response = await south.goto(`${orders.floor.traveller.path}/traveller`);
  expect(response?.status()).toBe(404);
  await expect(south.getByText(orders.floor.traveller.number)).toHaveCount(0);
  // Nor in a batch, whatever ids the address carries.
  await south.goto(`/orders/travellers?id=${orders.floor.traveller.id}`);
  await expect(south.getByRole("status")).toHaveText("No orders to print.");
  await expect(south.getByRole("article")).toHaveCount(0);
});

test("the queue prints the ticked orders, one a page", async ({ as, orders }) => {
  const { batchOne, batchTwo } = orders.floor;
  const page = await as("dispatch");
  await page.goto(`/orders?view=all&q=${encodeURIComponent("E2E floor: beech")}`);
  await page.getByRole("checkbox", { name: `Select ${batchOne.number} for printing` }).check();
  await page.getByRole("checkbox", { name: `Select ${batchTwo.number} for printing` }).check();
  await page.getByRole("button", { name: "Print 2 selected" }).click();
  await expect(page.getByRole("status")).toHaveText("2 travellers, one a page.");
  await expect(page.getByRole("article", { name: `Traveller ${batchOne.number}` })).toBeVisible();
  await expect(page.getByRole("article", { name: `Traveller ${batchTwo.number}` })).toBeVisible();
  const pdf = await printed(page, "batch", "A4");
  expect(pdf.pages).toBe(2);

  // Nothing ticked: what the filters show.
  await page.goto(`/orders?view=all&q=${encodeURIComponent("E2E floor: beech")}`);
  // (Four: the beech orders of the phone journeys are prepared too.)
  await page.getByRole("link", { name: /print all 4 shown by the filters/ }).click();
  await expect(page.getByRole("status")).toHaveText("4 travellers, one a page.");
  await expect(page.getByRole("article")).toHaveCount(4);
});
