import { expect, test } from "vitest";
import { stage } from "@/lib/workflow";
import { atLeastState, kpiTargets, productionTimeState, stageTimeState } from "./targets";

test("the card's targets", () => {
  expect(kpiTargets.productionTime).toMatchObject({ minDays: 5, maxDays: 7 });
  expect(kpiTargets.onTime.target).toBe(0.92);
  expect(kpiTargets.qualityPass.target).toBe(0.97);
  expect(kpiTargets.satisfaction).toMatchObject({ target: 4.6, scale: 5 });
});

test("rates: green at or above target, amber near it, red below", () => {
  expect(atLeastState(0.92, kpiTargets.onTime)).toBe("green");
  expect(atLeastState(0.9199, kpiTargets.onTime)).toBe("amber");
  expect(atLeastState(0.85, kpiTargets.onTime)).toBe("amber");
  expect(atLeastState(0.8499, kpiTargets.onTime)).toBe("red");
  expect(atLeastState(4.6, kpiTargets.satisfaction)).toBe("green");
  expect(atLeastState(4.59, kpiTargets.satisfaction)).toBe("amber");
  expect(atLeastState(0, kpiTargets.qualityPass)).toBe("red");
});

test("production time: within 7 days is green (faster is fine), up to 8.5 amber", () => {
  expect(productionTimeState(3)).toBe("green");
  expect(productionTimeState(7)).toBe("green");
  expect(productionTimeState(7.01)).toBe("amber");
  expect(productionTimeState(8.5)).toBe("amber");
  expect(productionTimeState(8.51)).toBe("red");
});

test("stage times read the stage's target from the workflow", () => {
  const due = stage("inProduction").target.dueAfterMs;
  expect(due).toBe(120 * 3600_000);
  expect(stageTimeState("inProduction", due - 1, due)).toBe("green");
  expect(stageTimeState("inProduction", due, due + 1)).toBe("amber");
  expect(stageTimeState("inProduction", due + 1, due + 1)).toBe("red");
});
