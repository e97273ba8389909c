import { test as base, expect, type BrowserContext, type Locator, type Page } from "@playwright/test";
import { type StageKey, formatOrderNumber, stage as stageDef, stageKeys } from "@/lib/workflow";
import { sessionFile } from "./sessions";

export { expect };

/** The demo accounts (db/demo.ts), by the person each one is in the journeys. */
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

export type OrderRef = { id: number; number: string; path: string };

// --- Steps on the order page, each done the way its role does it in the browser -------------

export async function openOrder(page: Page, order: OrderRef) {
  await page.goto(order.path);
  await expect(page.getByRole("heading", { level: 1, name: order.number })).toBeVisible();
}

/** The current stage's form (named "<stage name> form"). */
export const stageForm = (page: Page) => page.getByRole("form", { name: / form$/ });

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

export async function recordInspection(page: Page, result: "Pass" | "Fail", notes: string) {
  const form = page.getByRole("form", { name: "Record a quality inspection" });
  await form.getByRole("radio", { name: result, exact: true }).check();
  await form.getByLabel(/^Notes/).fill(notes);
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
  /** Orders made for the test through the product's own forms. */
  orders: {
    /** A new order of the North store, still in Store Order. */
    create: (specs?: string) => Promise<OrderRef>;
    /** A new North order taken to `stage` by each stage's owner completing it in the browser. */
    inStage: (stage: StageKey, specs?: string) => Promise<OrderRef>;
  };
};


/*
 * Orders are made through the UI, by the real forms and server actions, rather than by calling
 * db/seed-orders.ts driveOrder(): the embedded database is single-process and is held by the
 * running server, and a test-only route would be an unauthorised back door in production code.
 * It costs a few seconds per order on a production build, and it exercises the same path as users.
 */
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

  orders: async ({ as }, provide) => {
    const pages = new Map<Who, Page>();
    const pageOf = async (who: Who) => {
      let page = pages.get(who);
      if (!page) {
        page = await as(who);
        pages.set(who, page);
      }
      return page;
    };
    let count = 0;
    const create = async (specs?: string) =>
      createOrder(await pageOf("north"), {
        specs: specs ?? `E2E fixture order ${++count} (${test.info().title}): oak shelving, 120 × 40 cm`,
        quantity: 4,
        delivery: inDays(30),
      });
    const inStage = async (target: StageKey, specs?: string) => {
      const order = await create(specs);
      for (const key of stageKeys.slice(0, stageKeys.indexOf(target))) {
        const next = stageDef(stageKeys[stageKeys.indexOf(key) + 1]).name;
        const done = `Stage completed: now in ${next}`;
        if (key === "storeOrder") {
          // createOrder left the store manager's page on the new order.
          await completeStage(await pageOf("north"), done);
        } else if (key === "dispatchReceiving") {
          const page = await pageOf("dispatch");
          await openOrder(page, order);
          await decideFeasibility(page, { feasible: true, start: inDays(1), end: inDays(20) });
          await completeStage(page, done);
        } else if (key === "inProduction") {
          const production = await pageOf("production");
          await openOrder(production, order);
          await saveProduction(production, "Completed", 100);
          const qc = await pageOf("qc");
          await openOrder(qc, order);
          await recordInspection(qc, "Pass", "Fixture inspection");
          await openOrder(production, order);
          await completeStage(production, done);
        } else if (key === "dispatching") {
          const page = await pageOf("dispatch");
          await openOrder(page, order);
          await fillShipment(page, { method: "Courier", tracking: `TRK-${order.id}`, eta: `${inDays(5)}T10:00` });
          await completeStage(page, done);
        }
      }
      return order;
    };
    await provide({ create, inStage });
  },
});
