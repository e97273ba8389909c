import { completeStage, decideFeasibility, expect, inDays, openOrder, test } from "../fixtures";

/**
 * Clocks that follow the plan (SPEC.md): dispatch schedules production a week out and the order
 * page says In Production is due at the end of the planned end day, not by the fixed 5-day target
 * (which made an order overdue before its planned start). The dates are set relative to today: on
 * 3 Dec the plan is 8 → 15 Dec.
 */

const shown = (day: string) => new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(new Date(`${day}T00:00:00Z`));

test("dispatch schedules production 8 → 15 Dec and the order page says it is due 15 Dec; moving the end moves it", async ({ as, orders }) => {
  const order = orders.clocks.scheduled;
  const page = await as("dispatch");
  await openOrder(page, order);
  const [start, end] = [inDays(5), inDays(12)];
  await decideFeasibility(page, { feasible: true, start, end });
  await completeStage(page, "Stage completed: now in In Production");

  // The browsers here read UTC and no calendar is set: the end of the day is 23:59.
  const due = page.getByRole("term").filter({ hasText: "Stage due" }).locator("xpath=following-sibling::dd[1]");
  await expect(due).toContainText(`${shown(end)}, 23:59 UTC`);
  await expect(page.getByText("On track", { exact: true }).first()).toBeVisible();
  // The plan moves: dispatch pushes the end out a day, in the In Production form; the due time follows, in history.
  const later = inDays(13);
  await page.getByRole("group", { name: "Production Schedule" }).getByLabel("Planned end").fill(later);
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved 1 field" })).toBeVisible();
  await expect(due).toContainText(`${shown(later)}, 23:59 UTC`);
  await expect(page.getByRole("region", { name: "History" })).toContainText(`Due time moved by Production Schedule: ${shown(end)}, 23:59 UTC → ${shown(later)}, 23:59 UTC`);
  // Production, opening the same order, reads the same due time.
  const production = await as("production");
  await openOrder(production, order);
  await expect(production.getByRole("term").filter({ hasText: "Stage due" }).locator("xpath=following-sibling::dd[1]")).toContainText(`${shown(later)}, 23:59 UTC`);
});

test("an administrator types a closing before the opening: the calendar says so beside the field and keeps what was typed", async ({ as }) => {
  const page = await as("admin");
  await page.goto("/admin/calendars");
  await expect(page.getByRole("heading", { level: 1, name: "Working calendars" })).toBeVisible();
  const form = page.getByRole("form", { name: "Working calendar of South" });
  const opening = form.getByLabel("Monday opening");
  const closing = form.getByLabel("Monday closing");
  await opening.fill("17:00");
  await closing.fill("08:00");
  // By keyboard: Enter in a field submits the plain form.
  await closing.focus();
  await page.keyboard.press("Enter");
  await expect(form.getByText("Closing must be after opening")).toBeVisible();
  await expect(closing).toHaveAttribute("aria-invalid", "true");
  await expect(opening).toHaveValue("17:00");
  await expect(closing).toHaveValue("08:00");
  // Nothing was saved: the store still works around the clock.
  await expect(page.getByRole("heading", { name: /South/ })).toContainText("Around the clock");
});
