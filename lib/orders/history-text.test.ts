import { describe, expect, it } from "vitest";
import { collapseTodoRuns } from "./history-text";

const tick = (id: number, actorId: number | null, stage = "dispatchReceiving", after = true) => ({ id, event: { kind: "todoChanged" as const, after, actorId, stage } });
const field = (id: number, actorId: number) => ({ id, event: { kind: "fieldChanged" as const, after: "x", actorId, stage: "dispatchReceiving" } });
type Item = ReturnType<typeof tick> | ReturnType<typeof field>;
const shape = (items: Item[]) => collapseTodoRuns(items).map((e) => (e.kind === "one" ? e.item.id : `${e.summary} [${e.items.map((i) => i.id).join(",")}]`));

describe("collapseTodoRuns: the history reads a run of to-do ticks as one line", () => {
  it("three ticks in a row by one person are one line, the lines around them stay", () => {
    expect(shape([field(5, 1), tick(4, 1), tick(3, 1), tick(2, 1), field(1, 1)])).toEqual([5, "Ticked 3 to-dos [4,3,2]", 1]);
  });
  it("a single tick stays a line of its own", () => {
    expect(shape([tick(2, 1), field(1, 1)])).toEqual([2, 1]);
  });
  it("another person, or another stage, starts a new run", () => {
    expect(shape([tick(4, 1), tick(3, 2), tick(2, 2), tick(1, 2, "inProduction")])).toEqual([4, "Ticked 2 to-dos [3,2]", 1]);
  });
  it("ticks and unticks say both", () => {
    expect(shape([tick(3, 1), tick(2, 1, "dispatchReceiving", false), tick(1, 1)])).toEqual(["Ticked 2 and unticked 1 to-dos [3,2,1]"]);
    expect(shape([tick(2, 1, "dispatchReceiving", false), tick(1, 1, "dispatchReceiving", false)])).toEqual(["Unticked 2 to-dos [2,1]"]);
  });
});
