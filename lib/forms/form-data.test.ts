import { expect, test } from "vitest";
import { formLists, formObject, formValues, submittedList } from "./form-data";

test("nests field.part names, lists repeated names and files, drops Next's own entries", () => {
  const fd = new FormData();
  fd.append("$ACTION_ID_abc", "");
  fd.append("orderId", "42");
  fd.append("productionSchedule.start", "2030-01-01");
  fd.append("productionSchedule.confirmed", "on");
  fd.append("tag", "a");
  fd.append("tag", "b");
  fd.append("attachments", new File(["x"], "a.pdf"));
  expect(formObject(fd)).toEqual({
    orderId: "42",
    productionSchedule: { start: "2030-01-01", confirmed: "on" },
    tag: ["a", "b"],
    attachments: [expect.any(File)],
  });
  expect(formValues(fd)).toEqual({ orderId: "42", "productionSchedule.start": "2030-01-01", "productionSchedule.confirmed": "on", tag: "b" });
});

test("a hostile name cannot reach the prototype, and a value is never merged into a group", () => {
  const fd = new FormData();
  fd.append("__proto__.polluted", "yes");
  fd.append("a.constructor.prototype.x", "1");
  fd.append("note", "plain");
  fd.append("note.part", "ignored");
  const out = formObject(fd);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(out).toEqual({ note: "plain" });
});

test("a refused form never sends a password back to the browser", () => {
  const fd = new FormData();
  fd.append("email", "a@example.com");
  fd.append("password", "secret one");
  fd.append("newPassword", "secret two");
  fd.append("currentPassword", "secret three");
  fd.append("generatePassword", "on");
  expect(formValues(fd)).toEqual({ email: "a@example.com", generatePassword: "on" });
});

test("a name given as text and as a file, or as a group and a value, is a list or the group: never a throw", () => {
  const fd = new FormData();
  fd.append("editable", "a");
  fd.append("editable", new File(["x"], "x.pdf"));
  fd.append("productionSchedule.start", "2030-01-01");
  fd.append("productionSchedule", new File(["x"], "y.pdf"));
  fd.append("productionSchedule", "text");
  fd.append("attachments", new File(["x"], "a.pdf"));
  fd.append("attachments", "not a file");
  expect(formObject(fd)).toEqual({
    editable: ["a", expect.any(File)],
    productionSchedule: { start: "2030-01-01" },
    attachments: [expect.any(File), "not a file"],
  });
});

test("a group of checkboxes comes back whole to a refused form, and not at all to one that was not refused", () => {
  const fd = new FormData();
  fd.append("name", "");
  fd.append("roles", "dispatchTeam");
  fd.append("roles", "qualityControl");
  fd.append("storeIds", "2");
  const state = { values: formValues(fd), lists: formLists(fd) };
  expect(state.lists).toEqual({ roles: ["dispatchTeam", "qualityControl"] });
  expect(submittedList(state, "roles")).toEqual(["dispatchTeam", "qualityControl"]);
  expect(submittedList(state, "storeIds")).toEqual(["2"]);
  expect(submittedList(state, "recipients")).toEqual([]);
  expect(submittedList({}, "roles")).toBeNull();
});
