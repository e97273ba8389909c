/**
 * A submitted form as the plain object its zod schema parses: `a.b` names nest (`field.part`),
 * a name given twice becomes a list, files are always a list, and Next's own `$ACTION…` entries
 * are left out. The only place that reads FormData.
 */
export function formObject(formData: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  entries: for (const [name, value] of formData.entries()) {
    if (name.startsWith("$ACTION")) continue;
    const path = name.split(".");
    if (path.some((p) => p === "" || p === "__proto__" || p === "constructor" || p === "prototype")) continue;
    let target = out;
    for (const p of path.slice(0, -1)) {
      const next = target[p];
      // A name that is both a value and a group ("a" and "a.b") keeps the first: no merge.
      if (next !== undefined && (typeof next !== "object" || next === null || Array.isArray(next))) continue entries;
      target = (target[p] ??= {}) as Record<string, unknown>;
    }
    const leaf = path[path.length - 1];
    const existing = target[leaf];
    // A group ("a.b" came first) keeps its place: a value named "a" is not merged into it.
    if (existing !== undefined && typeof existing === "object" && !Array.isArray(existing)) continue;
    if (existing !== undefined) target[leaf] = [...[existing].flat(), value];
    else target[leaf] = typeof value === "string" ? value : [value];
  }
  return out;
}

/**
 * The strings a form submitted, by control name: a refused form shows them again. Passwords are
 * never sent back to the browser. A name given more than once (a group of checkboxes) keeps its
 * last value here and all of them in formLists.
 */
export const formValues = (formData: FormData): Record<string, string> =>
  Object.fromEntries([...formData.entries()].filter((e): e is [string, string] => typeof e[1] === "string" && !e[0].startsWith("$ACTION") && !isSecret(e[0])));

/** A control that holds a password; "generatePassword" is only the choice to have one made. */
const isSecret = (name: string) => /password/i.test(name) && name !== "generatePassword";

/** Every value of each name a form submitted more than once (ticked checkboxes of one group). */
export function formLists(formData: FormData): Record<string, string[]> {
  // A Map: a control may be named "__proto__".
  const lists = new Map<string, string[]>();
  for (const [name, value] of formData.entries()) {
    if (typeof value !== "string" || name.startsWith("$ACTION") || isSecret(name)) continue;
    lists.set(name, [...(lists.get(name) ?? []), value]);
  }
  return Object.fromEntries([...lists].filter(([, v]) => v.length > 1));
}

/**
 * What a refused form had ticked in a group of checkboxes named `name`, or null when the form
 * was not refused (then the stored choice shows): drawn by the server, so it holds without
 * JavaScript too.
 */
export function submittedList(state: { values?: Record<string, string>; lists?: Record<string, string[]> }, name: string): string[] | null {
  if (!state.values) return null;
  return state.lists?.[name] ?? (state.values[name] !== undefined ? [state.values[name]] : []);
}
