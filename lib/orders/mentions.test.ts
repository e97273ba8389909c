import { describe, expect, test } from "vitest";
import { linkify, mentionHandle, mentionTokens, resolveMention } from "./mentions";

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

describe("links", () => {
  test("only http(s) URLs become links; the rest stays text", () => {
    expect(linkify("see https://example.com/a?b=1. and javascript:alert(1) <b>x</b>")).toEqual([
      { text: "see " },
      { text: "https://example.com/a?b=1", href: "https://example.com/a?b=1" },
      { text: ". and javascript:alert(1) <b>x</b>" },
    ]);
  });
});
