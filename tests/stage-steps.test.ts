import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { expect, test, vi } from "vitest";

// The definition with a sixth stage, as a shop that installs what it makes would add one.
vi.mock("@/lib/workflow", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/workflow")>();
  const installed = { ...real.stages[4], key: "installed", number: 6, name: "Installed" };
  return { ...real, stages: [...real.stages, installed], stageKeys: [...real.stageKeys, "installed"] };
});

const { StageProgress } = await import("@/components/order/stage-progress");

test("the order page's stage steps follow the definition: a sixth stage is a sixth column, not a second row", () => {
  const html = renderToStaticMarkup(createElement(StageProgress, { stage: "installed" as never, state: "active" }));
  const steps = html.match(/<li /g) ?? [];
  expect(steps).toHaveLength(6);
  expect(html).toContain('aria-current="step"');
  // However the list lays out its columns, it does not name a count of its own.
  const list = /<ol class="([^"]*)"/.exec(html)![1];
  for (const count of list.matchAll(/grid-cols-(\d+)|repeat\((\d+)/g)) expect(Number(count[1] ?? count[2]), list).toBe(steps.length);
});
