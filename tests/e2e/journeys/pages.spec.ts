import { createRequire } from "node:module";
import path from "node:path";
import type { Page } from "@playwright/test";
import { type Who, expect, test } from "../fixtures";
import { sidewaysOverflow } from "../layout";
import { LONG_PART, LONG_TRACKING, LONG_URL, type PreparedOrders } from "../prepared-orders";

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const shotDir = path.join(import.meta.dirname, "..", "screenshots");
const widths = { desktop: 1280, tablet: 768, phone: 390 } as const;

type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: string[]; html: string }[] };

/** Runs axe-core in the page and returns its serious and critical violations. */
async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, html: n.html.slice(0, 160) })) }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

const report = (vs: AxeViolation[]) => vs.map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(" ")}  ${n.html}`).join("\n")}`).join("\n");

type MainPage = { name: string; who: Who | null; heading: string | RegExp; open: (page: Page, orders: PreparedOrders["pages"]) => Promise<unknown> };

const goto = (url: string) => (page: Page) => page.goto(url);
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

const mainPages: MainPage[] = [
  { name: "sign-in", who: null, heading: "Sign in to Makeline", open: goto("/sign-in") },
  { name: "queue", who: "dispatch", heading: "Your queue", open: goto("/orders") },
  { name: "all-orders", who: "north", heading: "All orders", open: goto("/orders?view=all") },
  { name: "new-order", who: "north", heading: "New order", open: goto("/orders/new") },
  // An order in production, seen by QC: stage form (read-only for QC), inspections, earlier stages.
  { name: "order", who: "qc", heading: /^MO-\d+$/, open: (page, orders) => page.goto(orders.inProduction.path) },
  // Its printed sheet, on screen: the job traveller of that order.
  { name: "traveller", who: "qc", heading: /^MO-\d+$/, open: (page, orders) => page.goto(`${orders.inProduction.path}/traveller`) },
  { name: "board", who: "dispatch", heading: "Board", open: goto("/board") },
  { name: "kpi", who: "ops", heading: "KPIs", open: goto("/kpi") },
  { name: "kpi-exports", who: "admin", heading: "KPI exports", open: goto("/kpi/exports?period=90") },
  // The store manager's inbox: high-priority alerts about held orders, a shipped order's tracking number, long words.
  { name: "inbox", who: "north", heading: "Inbox", open: goto("/inbox") },
  // Dispatch's: a full page of alerts and a pager.
  { name: "dispatch-inbox", who: "dispatch", heading: "Inbox", open: goto("/inbox") },
  // Her queue: the received order, whose specifications are one long part number.
  { name: "store-queue", who: "north", heading: "Your queue", open: goto("/orders") },
  // Held for a reason with a part number and an address in it; the same in its specifications and history.
  { name: "order-long-words", who: "north", heading: /^MO-\d+$/, open: (page, orders) => page.goto(orders.longWords.path) },
  // Received: every earlier stage shows its values (special requirements, a 64-character tracking number).
  { name: "received-order", who: "north", heading: /^MO-\d+$/, open: (page, orders) => page.goto(orders.received.path) },
  // A year of weekly trend: 53 week labels to thin out, the week under way marked partial.
  { name: "kpi-year", who: "ops", heading: "KPIs", open: goto(`/kpi?period=custom&from=${daysAgo(364)}&to=${daysAgo(0)}`) },
  { name: "account", who: "production", heading: "Your account", open: goto("/account") },
  // Where sign-in lands when a form found its session ended (signed-out-typing.spec.ts).
  { name: "signed-in-again", who: "production", heading: "You are signed in again", open: goto("/signed-in") },
  { name: "admin-users", who: "admin", heading: "Accounts", open: goto("/admin/users") },
  {
    name: "admin-user",
    who: "admin",
    heading: "Nora North",
    open: async (page) => {
      await page.goto("/admin/users");
      await page.getByRole("link", { name: "Nora North" }).first().click();
    },
  },
  { name: "admin-new-user", who: "admin", heading: "New account", open: goto("/admin/users/new") },
  { name: "admin-stores", who: "admin", heading: "Stores", open: goto("/admin/stores") },
  { name: "admin-calendars", who: "admin", heading: "Working calendars", open: goto("/admin/calendars") },
  { name: "admin-capacity", who: "admin", heading: "Production capacity", open: goto("/admin/capacity") },
  { name: "capacity", who: "dispatch", heading: "Capacity", open: goto("/capacity") },
  { name: "admin-fail-reasons", who: "admin", heading: "Fail reasons", open: goto("/admin/fail-reasons") },
  { name: "admin-audit", who: "admin", heading: "Audit log", open: goto("/admin/audit") },
  // A rule made and changed (prepare-db.ts): its trigger and recipients, before and after.
  { name: "admin-audit-rules", who: "admin", heading: "Audit log", open: goto("/admin/audit?kind=ruleChanged") },
  { name: "admin-rules", who: "admin", heading: "Automations", open: goto("/admin/rules") },
  { name: "awaiting-inspection", who: "qc", heading: "Awaiting inspection", open: goto("/orders?view=inspect") },
  // The order page for its store's manager: times in the store's zone, revise and cancel on a held order.
  { name: "held-order", who: "north", heading: /^MO-\d+$/, open: (page, orders) => page.goto(orders.onHold.path) },
  { name: "not-found", who: "north", heading: "Not found", open: goto("/orders/999999999") },
  {
    name: "mailbox",
    who: "north",
    heading: "Development mailbox",
    open: async (page) => {
      await page.goto("/dev/mailbox");
      // One email shown open: the alerts about the orders dispatch put on hold before the run
      // (several at once come as one grouped email).
      await page.getByRole("navigation", { name: "Emails" }).getByRole("link").first().click();
      await expect(page.getByRole("article")).toBeVisible();
    },
  },
];

test.describe("every page: no serious or critical axe violations and no sideways scrolling at desktop, tablet and phone width, with data that would show it; screenshots", () => {
  for (const p of mainPages) {
    test(p.name, async ({ as, browser, baseURL, orders }) => {
      // Three widths, each with axe and a full-page screenshot: the rules page alone took over a
      // minute on the shared 2-core machine.
      test.setTimeout(120_000);
      const page = p.who ? await as(p.who) : await (await browser.newContext({ baseURL })).newPage();
      for (const [label, width] of Object.entries(widths)) {
        await page.setViewportSize({ width, height: 1000 });
        await p.open(page, orders.pages);
        await expect(page.getByRole("heading", { level: 1, name: p.heading })).toBeVisible();
        // Nothing scrolls sideways, down to a 390 px phone, and no long word runs out of its box.
        const overflow = await sidewaysOverflow(page, [LONG_PART, LONG_URL, LONG_TRACKING]);
        expect.soft(overflow, `${p.name} at ${width}px scrolls sideways`).toEqual([]);
        const found = await seriousViolations(page);
        expect.soft(found, `${p.name} at ${width}px:\n${report(found)}`).toEqual([]);
        await page.screenshot({ path: path.join(shotDir, `${p.name}-${label}.png`), fullPage: true });
      }
      if (!p.who) await page.context().close();
    });
  }
});
