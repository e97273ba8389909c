import { type Page } from "@playwright/test";
import { completeStage, expect, inDays, openOrder, test } from "../fixtures";
import type { OrderRef } from "../fixtures";

/**
 * Live pages (issue 22, decision 026), as people work with them: two browsers on the board, one
 * completes a stage, the other sees the card move within 5 s and nobody reloads; two people on
 * one order, one saves a field while the other has typed in another: a banner says who saved
 * what, the typing stays, and both are saved.
 */

const LIVE_WITHIN = { timeout: 5_000 };

// Two and three browsers at once: more than the single-browser journeys' minute on a loaded machine.
test.describe.configure({ timeout: 120_000 });

/** A board column, by its heading ("Store Order", "Receiving by Dispatch"). */
const column = (page: Page, name: string) => page.locator("section").filter({ has: page.getByRole("heading", { level: 2, name: new RegExp(`^\\d\\. ${name} \\d+$`) }) });
const card = (page: Page, name: string, order: OrderRef) => column(page, name).getByRole("link", { name: new RegExp(`^${order.number}\\b`) });

test("two browsers on the board: one completes a stage, the other sees the card move within 5 s", async ({ as, orders }) => {
  const order = orders.live.boardMove;
  // A store manager's board shows his store's orders; he keeps it open on the shop's screen.
  const board = await as("south");
  await board.goto("/board");
  await expect(card(board, "Store Order", order)).toBeVisible();
  const loaded = await board.evaluate(() => performance.timeOrigin);

  // At his desk, he sends the order on.
  const desk = await as("south");
  await openOrder(desk, order);
  await completeStage(desk, /Receiving by Dispatch/);

  await expect(card(board, "Receiving by Dispatch", order)).toBeVisible(LIVE_WITHIN);
  await expect(card(board, "Store Order", order)).toHaveCount(0);
  // The same document: the board was never reloaded.
  expect(await board.evaluate(() => performance.timeOrigin)).toBe(loaded);
});

test("a colleague saves a field while the other has typed in another: banner, typing kept, both saved", async ({ as, orders }) => {
  const order = orders.live.colleagueSaves;
  // Before the Required Delivery Date (two weeks out), so the plan needs no confirmation.
  const [start, end] = [inDays(2), inDays(5)];
  const production = await as("production");
  await openOrder(production, order);
  const dispatch = await as("dispatch");
  await openOrder(dispatch, order);

  // Pat (production) types a plan and has not saved it yet.
  const schedule = production.getByRole("group", { name: "Production Schedule" });
  await schedule.getByLabel("Planned start").fill(start);
  await schedule.getByLabel("Planned end").fill(end);

  // Dana (dispatch) saves the special requirements meanwhile.
  await dispatch.getByLabel("Special Requirements").fill("Crate each bench separately");
  await dispatch.getByRole("button", { name: "Save", exact: true }).click();
  await expect(dispatch.getByRole("status").filter({ hasText: "Saved 1 field" })).toBeVisible();

  // Pat's page says so, and leaves the typing alone.
  const banner = production.getByRole("status").filter({ hasText: "Dana Dispatch saved Special Requirements" });
  await expect(banner).toBeVisible(LIVE_WITHIN);
  await expect(production.getByLabel("Special Requirements")).toHaveValue("");
  await expect(schedule.getByLabel("Planned start")).toHaveValue(start);
  await expect(schedule.getByLabel("Planned end")).toHaveValue(end);

  // Show: the colleague's value appears around what Pat typed.
  await banner.getByRole("button", { name: "Show" }).click();
  await expect(production.getByLabel("Special Requirements")).toHaveValue("Crate each bench separately");
  await expect(banner).toHaveCount(0);
  await expect(schedule.getByLabel("Planned start")).toHaveValue(start);
  await expect(schedule.getByLabel("Planned end")).toHaveValue(end);

  // Pat saves: no conflict with Dana's field.
  await production.getByRole("button", { name: "Save", exact: true }).click();
  await expect(production.getByRole("status").filter({ hasText: /^Saved \d+ fields?$/ })).toBeVisible();

  // Dana typed nothing since: her page just refreshes and shows Pat's plan.
  const danaSchedule = dispatch.getByRole("group", { name: "Production Schedule" });
  await expect(danaSchedule.getByLabel("Planned start")).toHaveValue(start, LIVE_WITHIN);
  await expect(dispatch.getByRole("status").filter({ hasText: /saved/ })).toHaveCount(0);

  // Both are stored.
  await production.reload();
  await expect(production.getByLabel("Special Requirements")).toHaveValue("Crate each bench separately");
  await expect(production.getByRole("group", { name: "Production Schedule" }).getByLabel("Planned end")).toHaveValue(end);
});
