import { completeStage, decideFeasibility, expect, inDays, openOrder, stageForm, test } from "../fixtures";
import { CAPACITY_PER_DAY, type ProjectName, fullWeek } from "../prepared-orders";

/**
 * Planning with capacity (SPEC.md), the way dispatch works: the shop makes 1,000 units a day
 * (prepare-db.ts) and a week of its own per width is full (5,000 units Monday to Friday, no
 * working calendar: every day works). Dispatch schedules 600 units over its Wednesday and Thursday
 * (300 a day), is asked to confirm, sees the earliest planned end that fits, confirms; the
 * capacity view marks the days and lists the orders. An order marked not feasible gets a
 * counter-proposal prefilled with the earliest date that fits.
 */

const shown = (day: string) => new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(new Date(`${day}T00:00:00Z`));
const plusDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

test("dispatch schedules an order onto a full week, is asked to confirm, sees the earliest end that fits, and confirms", async ({ as, orders }, testInfo) => {
  const order = orders.capacity.toPlan;
  const week = fullWeek(testInfo.project.name as ProjectName);
  const [wednesday, thursday] = [plusDays(week.start, 2), plusDays(week.start, 3)];
  const page = await as("dispatch");
  await openOrder(page, order);

  await test.step("beside the Production Schedule: the load around it and the earliest planned end that fits", async () => {
    const panel = page.getByRole("region", { name: "Capacity around the schedule" });
    await expect(panel).toBeVisible();
    // 600 units fit in one day of 1,000 from today.
    await expect(panel.getByTestId("earliest-fit")).toContainText(`Earliest planned end that fits: ${shown(inDays(0))}`);
  });

  await test.step("a schedule over two full days asks for confirmation and names the days and the suggested date", async () => {
    await decideFeasibility(page, { feasible: true, start: wednesday, end: thursday });
    // The week is after the order's Required Delivery Date: dispatch confirms that, as before.
    await page.getByRole("checkbox", { name: "Confirm an end after the Required Delivery Date" }).check();
    // And completes with the to-dos open ("Verify production capacity" is what this page does).
    await page.getByRole("checkbox", { name: /^Complete with \d+ open to-dos?$/ }).check();
    await page.getByRole("button", { name: "Complete stage" }).click();
    const asked = stageForm(page).getByRole("alert");
    await expect(asked).toContainText(`This schedule overloads ${shown(wednesday)} (${CAPACITY_PER_DAY + 300} of ${CAPACITY_PER_DAY} units), ${shown(thursday)} (${CAPACITY_PER_DAY + 300} of ${CAPACITY_PER_DAY} units)`);
    // Two days of 300 from today: today and tomorrow.
    await expect(asked).toContainText(`Earliest planned end that fits: ${shown(inDays(1))}`);
    // Nothing was saved and what was typed is still there.
    const schedule = page.getByRole("group", { name: "Production Schedule" });
    await expect(schedule.getByLabel("Planned start")).toHaveValue(wednesday);
    await expect(schedule.getByLabel("Planned end")).toHaveValue(thursday);
    await expect(page.getByRole("heading", { name: "Stage 2: Receiving by Dispatch" })).toBeVisible();
  });

  await test.step("confirmed, the stage completes and the history records the confirmation", async () => {
    await page.getByRole("checkbox", { name: "Confirm a schedule over capacity" }).check();
    await completeStage(page, "Stage completed: now in In Production");
    await expect(page.getByRole("region", { name: "History" })).toContainText(`Confirmed over capacity: ${shown(wednesday)} (${CAPACITY_PER_DAY + 300} of ${CAPACITY_PER_DAY} units)`);
  });

  await test.step("the capacity view marks the days over capacity and lists the orders planned on them", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Capacity" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Capacity" })).toBeVisible();
    const day = page.locator(`[data-day="${wednesday}"]`);
    await expect(day).toContainText(`${CAPACITY_PER_DAY + 300} / ${CAPACITY_PER_DAY}`);
    await expect(day).toContainText("Overloaded");
    await expect(page.locator(`[data-day="${plusDays(week.start, 1)}"]`)).not.toContainText("Overloaded");
    await day.getByRole("link").click();
    await expect(page).toHaveURL(new RegExp(`plannedOn=${wednesday}`));
    await expect(page.getByRole("link", { name: new RegExp(order.number) }).first()).toBeVisible();
    await expect(page.getByRole("link", { name: new RegExp(orders.capacity.full.number) }).first()).toBeVisible();
    await expect(page.getByText("2 orders")).toBeVisible();
  });
});

test("dispatch marks an order not feasible and the counter-proposal is prefilled with the earliest date that fits", async ({ as, orders }) => {
  const order = orders.capacity.notFeasible;
  const page = await as("dispatch");
  await openOrder(page, order);
  await decideFeasibility(page, { feasible: false, reason: "The beam press is booked for weeks" });
  await completeStage(page, page.getByRole("heading", { name: "On hold: not feasible" }));
  // 800 units fit in one day of 1,000, from today.
  const date = page.getByLabel("Delivery date we can make");
  await expect(date).toBeVisible();
  await expect(date).toHaveValue(inDays(0));
  await expect(page.getByText(`Earliest planned end that fits the shop's capacity: ${shown(inDays(0))}`)).toBeVisible();
  await page.getByRole("button", { name: "Send proposal" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Proposal sent to the store" })).toBeVisible();
});
