import { readFileSync } from "node:fs";
import { test as base, expect, type BrowserContext, type Locator, type Page } from "@playwright/test";
import { formatOrderNumber } from "@/lib/workflow";
import type { OrderRef, PreparedOrders, ProjectName } from "./prepared-orders";
import { sessionFile } from "./sessions";

export { expect };
export type { OrderRef };

/** The demo accounts (lib/demo/accounts.ts), by the person each one is in the journeys. */
export const accounts = {
  north: "store.north@example.com",
  south: "store.south@example.com",
  dispatch: "dispatch@example.com",
  production: "production@example.com",
  qc: "qc@example.com",
  ops: "ops@example.com",
  admin: "admin@example.com",
} as const;
export type Who = keyof typeof accounts;

/** A date `days` from today as the date inputs take it (YYYY-MM-DD). */
export const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** A minimal, well-formed one-page PDF: the server recognises uploads by their first bytes. */
export const samplePdf = () => ({
  name: "reference-design.pdf",
  mimeType: "application/pdf",
  buffer: Buffer.from(
    "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
      "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
  ),
});

// --- Steps on the order page, each done the way its role does it in the browser -------------

export async function openOrder(page: Page, order: OrderRef) {
  await page.goto(order.path);
  await expect(page.getByRole("heading", { level: 1, name: order.number })).toBeVisible();
}

/** The current stage's card ("Stage N: name"): its form, to-dos, checklist, messages and buttons. */
export const stageForm = (page: Page) => page.getByRole("region", { name: /^Stage \d: / });

/**
 * Ticks "Complete with N open to-dos" when there are any, presses "Complete stage", and waits for
 * the outcome: the form's message while the order stays active, or what the page shows instead
 * once it is not (on hold, completed), where the stage form and its message are gone.
 */
export async function completeStage(page: Page, outcome: string | RegExp | Locator) {
  const confirm = page.getByRole("checkbox", { name: /^Complete with \d+ open to-dos?$/ });
  if (await confirm.isVisible()) await confirm.check();
  await page.getByRole("button", { name: "Complete stage" }).click();
  const shown = typeof outcome === "string" || outcome instanceof RegExp ? page.getByRole("status").filter({ hasText: outcome }) : outcome;
  await expect(shown).toBeVisible();
}

export async function createOrder(page: Page, values: { specs: string; quantity: number; delivery: string; pdf?: boolean }): Promise<OrderRef> {
  await page.goto("/orders/new");
  await page.getByLabel("Product Specifications").fill(values.specs);
  await page.getByLabel("Order Quantity").fill(String(values.quantity));
  await page.getByLabel("Required Delivery Date").fill(values.delivery);
  if (values.pdf) await page.getByLabel("Reference designs").setInputFiles(samplePdf());
  await page.getByRole("button", { name: "Create order" }).click();
  await page.waitForURL(/\/orders\/\d+$/);
  const id = Number(new URL(page.url()).pathname.split("/").pop());
  const order = { id, number: formatOrderNumber(id), path: `/orders/${id}` };
  await expect(page.getByRole("heading", { level: 1, name: order.number })).toBeVisible();
  return order;
}

export async function decideFeasibility(page: Page, decision: { feasible: true; start: string; end: string } | { feasible: false; reason: string }) {
  const feasibility = page.getByRole("group", { name: "Order Feasibility" });
  if (decision.feasible) {
    await feasibility.getByRole("radio", { name: "Feasible", exact: true }).check();
    const schedule = page.getByRole("group", { name: "Production Schedule" });
    await schedule.getByLabel("Planned start").fill(decision.start);
    await schedule.getByLabel("Planned end").fill(decision.end);
  } else {
    await feasibility.getByRole("radio", { name: "Not feasible" }).check();
    await feasibility.getByLabel(/^Reason/).fill(decision.reason);
  }
}

export async function saveProduction(page: Page, status: string, percent: number) {
  await page.getByLabel("Production Status").selectOption({ label: status });
  await page.getByLabel("Completion Percentage").fill(String(percent));
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: /^Saved \d+ fields?$/ })).toBeVisible();
}

/** A fail names a fail reason too: "Finish" unless said. */
export async function recordInspection(page: Page, result: "Pass" | "Fail", notes: string, reason = "Finish") {
  const form = page.getByRole("form", { name: "Record a quality inspection" });
  await form.getByRole("radio", { name: result, exact: true }).check();
  await form.getByLabel(/^Notes/).fill(notes);
  if (result === "Fail") await form.getByRole("checkbox", { name: reason, exact: true }).check();
  await form.getByRole("button", { name: "Record inspection" }).click();
  await expect(form.getByRole("status").filter({ hasText: "Inspection recorded" })).toBeVisible();
}

export async function fillShipment(page: Page, values: { method: string; tracking: string; eta: string }) {
  await page.getByLabel("Shipment Method").selectOption({ label: values.method });
  await page.getByLabel("Tracking Number").fill(values.tracking);
  await page.getByLabel("Estimated Delivery Time").fill(values.eta);
}

export async function fillReceipt(page: Page, values: { receivedBy: string; condition: string; rating?: number; comment?: string }) {
  await page.getByLabel("Receipt Confirmation").fill(values.receivedBy);
  await page.getByLabel("Product Condition").selectOption({ label: values.condition });
  const feedback = page.getByRole("group", { name: "Customer Feedback" });
  if (values.rating) await feedback.getByRole("radio", { name: String(values.rating), exact: true }).check();
  if (values.comment) await feedback.getByLabel("Comment").fill(values.comment);
}

// --- Content-Security-Policy ---------------------------------------------------------------

/**
 * Collects every CSP violation the context's pages (and their frames) report: the page's own
 * `securitypolicyviolation` events and the browser's console line about a refused resource.
 */
async function watchCsp(context: BrowserContext, violations: string[]) {
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`CSP violation: ${e.violatedDirective} refused ${e.blockedURI || "inline code"} in ${e.documentURI}`);
    });
  });
  context.on("console", (message) => {
    if (/CSP violation|Content Security Policy/i.test(message.text())) violations.push(`${message.location().url}: ${message.text()}`);
  });
}

// --- Fixtures --------------------------------------------------------------------------------

type Fixtures = {
  /** CSP violations of the test's pages: any fails the test (checked after it). */
  cspViolations: string[];
  /** A page signed in as the account (its own browser context, cookies from one real sign-in). */
  as: (who: Who) => Promise<Page>;
  /** The same with JavaScript turned off: the page is the server's HTML and its forms post as plain HTML forms. */
  withoutJs: (who: Who) => Promise<Page>;
  /** The orders each spec starts from, by spec and name (prepared-orders.ts). */
  orders: PreparedOrders;
};

/*
 * Orders are made before the server starts, in its database, by tests/e2e/prepare-db.ts through
 * the real commands: the embedded database is single-process and is held by the running server,
 * and a test-only route would be an unauthorised back door in production code. A spec does in
 * the browser only the stage it is about, on orders no other spec touches.
 */
let prepared: Record<ProjectName, PreparedOrders> | undefined;
function preparedOrders(project: string): PreparedOrders {
  const file = process.env.E2E_ORDERS_FILE;
  if (!file) throw new Error("E2E_ORDERS_FILE is not set: run the suite with `npm run test:e2e`");
  prepared ??= JSON.parse(readFileSync(file, "utf8")) as Record<ProjectName, PreparedOrders>;
  const mine = prepared[project as ProjectName];
  if (!mine) throw new Error(`No prepared orders for project ${project}`);
  return mine;
}

// The fixtures' second argument is named `provide`, not Playwright's usual `use`, so React's
// hook lint rule does not mistake it for React's use().
export const test = base.extend<Fixtures>({
  cspViolations: [
    async ({}, provide) => {
      const violations: string[] = [];
      await provide(violations);
      expect(violations, "Content-Security-Policy violations").toEqual([]);
    },
    { auto: true },
  ],

  context: async ({ context, cspViolations }, provide) => {
    await watchCsp(context, cspViolations);
    await provide(context);
  },

  as: async ({ browser, baseURL, locale, timezoneId, viewport, cspViolations }, provide) => {
    const contexts: BrowserContext[] = [];
    await provide(async (who) => {
      const storageState = await sessionFile(browser, baseURL!, accounts[who]);
      const context = await browser.newContext({ baseURL, locale, timezoneId, viewport, storageState });
      await watchCsp(context, cspViolations);
      contexts.push(context);
      return context.newPage();
    });
    await Promise.all(contexts.map((c) => c.close()));
  },

  withoutJs: async ({ browser, baseURL, locale, timezoneId, viewport, cspViolations }, provide) => {
    const contexts: BrowserContext[] = [];
    await provide(async (who) => {
      const storageState = await sessionFile(browser, baseURL!, accounts[who]);
      const context = await browser.newContext({ baseURL, locale, timezoneId, viewport, storageState, javaScriptEnabled: false });
      await watchCsp(context, cspViolations);
      contexts.push(context);
      return context.newPage();
    });
    await Promise.all(contexts.map((c) => c.close()));
  },

  orders: async ({}, provide, testInfo) => {
    await provide(preparedOrders(testInfo.project.name));
  },
});
