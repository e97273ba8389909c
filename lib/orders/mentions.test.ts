import { describe, expect, test } from "vitest";
import { linkify, mentionHandle, mentionTokens, resolveMention } from "./mentions";
import { rankMentionOptions } from "./mention-options";

const people = [
  { id: 1, name: "Dana Dispatch", email: "dispatch@example.com" },
  { id: 2, name: "Sam South", email: "store.south@example.com" },
  { id: 3, name: "Sam Other", email: "sam.other@example.com" },
];

describe("mentions", () => {
  test("finds @names, not emails", () => {
    expect(mentionTokens("@Dana can you check? mail me at nora@example.com, cc @store.south.")).toEqual(["Dana", "store.south"]);
  });
  test("resolves by email name, full name or unique first name", () => {
    expect(resolveMention("Dana", people)).toEqual({ ok: true, account: people[0] });
    expect(resolveMention("dispatch", people)).toEqual({ ok: true, account: people[0] });
    expect(resolveMention("SamSouth", people)).toEqual({ ok: true, account: people[1] });
    expect(resolveMention("Sam", people)).toEqual({ ok: false, reason: "ambiguous" });
    expect(resolveMention("Nobody", people)).toEqual({ ok: false, reason: "unknown" });
  });
  test("the typeahead's handle is unambiguous", () => {
    expect(mentionHandle(people[0], people)).toBe("Dana");
    expect(mentionHandle(people[1], people)).toBe("store.south");
  });
});

describe("the typeahead's order", () => {
  // As the order page lists them: alphabetically by name.
  const options = [
    { handle: "Ada", name: "Ada Admin" },
    { handle: "Dana", name: "Dana Dispatch" },
    { handle: "store.north", name: "Nora North" },
    { handle: "Olive", name: "Olive Ops" },
    { handle: "Pat", name: "Pat Production" },
    { handle: "store.south", name: "Sam South" },
  ];
  const names = (q: string) => rankMentionOptions(q, options).map((p) => p.name);
  test("a handle or first name that starts with the letters comes before a name that only contains them", () => {
    expect(names("Pa")).toEqual(["Pat Production", "Dana Dispatch"]);
    expect(names("pa")[0]).toBe("Pat Production");
  });
  test("then a later word of the name, then any name or handle that contains the letters", () => {
    expect(names("no")).toEqual(["Nora North"]);
    expect(names("north")).toEqual(["Nora North"]);
    expect(names("south")).toEqual(["Sam South"]);
    expect(names("store")).toEqual(["Nora North", "Sam South"]);
    expect(names("o")).toEqual(["Olive Ops", "Nora North", "Pat Production", "Sam South"]);
  });
  test("nothing typed yet lists everyone in the page's order, up to the limit", () => {
    expect(rankMentionOptions("", options, 3).map((p) => p.name)).toEqual(["Ada Admin", "Dana Dispatch", "Nora North"]);
    expect(names("zz")).toEqual([]);
  });
});

describe("links", () => {
  test("only http(s) URLs become links; the rest stays text", () => {
    expect(linkify("see https://example.com/a?b=1. and javascript:alert(1) <b>x</b>")).toEqual([
      { text: "see " },
      { text: "https://example.com/a?b=1", href: "https://example.com/a?b=1" },
      { text: ". and javascript:alert(1) <b>x</b>" },
    ]);
  });
});
