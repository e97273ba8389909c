import { createRequire } from "node:module";
import path from "node:path";
import type { Page } from "@playwright/test";
import { type Who, expect, test } from "../fixtures";
import type { PreparedOrders } from "../prepared-orders";

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

const mainPages: MainPage[] = [
  { name: "sign-in", who: null, heading: "Sign in to Makeline", open: goto("/sign-in") },
  { name: "queue", who: "dispatch", heading: "Your queue", open: goto("/orders") },
  { name: "all-orders", who: "north", heading: "All orders", open: goto("/orders?view=all") },
  { name: "new-order", who: "north", heading: "New order", open: goto("/orders/new") },
  // An order in production, seen by QC: stage form (read-only for QC), inspections, earlier stages.
  { name: "order", who: "qc", heading: /^MO-\d+$/, open: (page, orders) => page.goto(orders.inProduction.path) },
  { name: "board", who: "dispatch", heading: "Board", open: goto("/board") },
  { name: "kpi", who: "ops", heading: "KPIs", open: goto("/kpi") },
  { name: "kpi-exports", who: "admin", heading: "KPI exports", open: goto("/kpi/exports?period=90") },
  { name: "inbox", who: "north", heading: "Inbox", open: goto("/inbox") },
  { name: "account", who: "production", heading: "Your account", open: goto("/account") },
  { name: "admin-users", who: "admin", heading: "Accounts", open: goto("/admin/users") },
  { name: "admin-new-user", who: "admin", heading: "New account", open: goto("/admin/users/new") },
  { name: "admin-stores", who: "admin", heading: "Stores", open: goto("/admin/stores") },
  { name: "admin-audit", who: "admin", heading: "Audit log", open: goto("/admin/audit") },
  { name: "admin-rules", who: "admin", heading: "Automations", open: goto("/admin/rules") },
  { name: "awaiting-inspection", who: "qc", heading: "Awaiting inspection", open: goto("/orders?view=inspect") },
  // The order page for its store's manager: times in the store's zone, revise and cancel on a held order.
  { name: "held-order", who: "north", heading: /^MO-\d+$/, open: (page, orders) => page.goto(orders.onHold.path) },
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

test.describe("main pages: no serious or critical axe violations and no sideways scrolling at desktop, tablet and phone width; screenshots", () => {
  for (const p of mainPages) {
    test(p.name, async ({ as, browser, baseURL, orders }) => {
      const page = p.who ? await as(p.who) : await (await browser.newContext({ baseURL })).newPage();
      for (const [label, width] of Object.entries(widths)) {
        await page.setViewportSize({ width, height: 1000 });
        await p.open(page, orders.pages);
        await expect(page.getByRole("heading", { level: 1, name: p.heading })).toBeVisible();
        // Nothing scrolls sideways, down to a 390 px phone.
        const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
        expect.soft(scrollWidth, `${p.name} at ${width}px scrolls sideways`).toBeLessThanOrEqual(width);
        const found = await seriousViolations(page);
        expect.soft(found, `${p.name} at ${width}px:\n${report(found)}`).toEqual([]);
        await page.screenshot({ path: path.join(shotDir, `${p.name}-${label}.png`), fullPage: true });
      }
      if (!p.who) await page.context().close();
    });
  }
});
