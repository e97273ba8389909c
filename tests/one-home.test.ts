import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { firstStage, stageKeys, stageMarked, stages } from "@/lib/workflow";

/**
 * STYLE.md: a rule exists in one place. These read the source as a reviewer would: a second copy
 * of a shared expression, a stage named by key outside the definition (the spot a sixth stage
 * would silently miss), or a time-zone solver of its own, is a failure here before it is a bug.
 */

const root = path.resolve(import.meta.dirname, "..");

function sources(dir: string): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(rel));
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push({ file: rel, text: readFileSync(path.join(root, rel), "utf8") });
  }
  return out;
}
const code = ["app", "components", "db", "lib", "bench"].flatMap(sources);
const filesWith = (needle: string | RegExp) => code.filter(({ text }) => (typeof needle === "string" ? text.includes(needle) : needle.test(text))).map((s) => s.file);

describe("one home for each shared expression", () => {
  test.each([
    ["the accounts-with-stores select", "leftJoin(storeMembers, eq(storeMembers.accountId, accounts.id))", ["db/queries/account-stores.ts"]],
    ["when a stage turns at risk, in SQL", "s.target.riskAfterMs}::bigint", ["db/queries/order-sql.ts"]],
    // (The bench's floor queries are written out by hand on purpose: they are what the app's are measured against.)
    ["the Order Quantity out of the fields JSON", "${orders.fields}->>'orderQuantity'", ["db/queries/order-sql.ts"]],
  ])("%s", (_what, needle, homes) => {
    expect(filesWith(needle)).toEqual(homes);
  });

  test("time zones are solved in lib/time only: no wall clock read back through Intl anywhere else", () => {
    // Reading an instant's parts to turn a wall time into an instant is what the two hand-written
    // solvers did (the audit filter and the digest hour), and what lib/time/zones.ts does with
    // @date-fns/tz. lib/format.ts formats for display only.
    expect(filesWith(/formatToParts\(/).filter((f) => f !== "lib/format.ts")).toEqual([]);
    expect(filesWith(/getTimezoneOffset\(|Date\.UTC\(p\.year/)).toEqual([]);
  });
});

describe("a stage added to the definition leaves no silent spot", () => {
  // The definition itself, the demo data (it writes example orders stage by stage) and the
  // default rules (data that names the stage each rule watches) may name stages by key.
  const mayName = (file: string) => file.startsWith("lib/workflow/") || file.startsWith("lib/demo/") || file === "lib/automation/defaults.ts";
  const stageLiteral = new RegExp(`["'\`](${stageKeys.join("|")})["'\`]`);

  test("no code outside the definition names a stage by its key", () => {
    const naming = code.filter(({ file, text }) => !mayName(file) && stageLiteral.test(text)).map(({ file, text }) => `${file}: ${stageLiteral.exec(text)![0]}`);
    expect(naming).toEqual([]);
  });

  test("submitted and received are marks on stages, not the first and the last", () => {
    expect(filesWith(/stageKeys\[stageKeys\.length - 1\]|stages\[stages\.length - 1\]/)).toEqual([]);
    expect(stages.filter((s) => s.marks === "submitted").map((s) => s.key)).toEqual([stageMarked("submitted")]);
    expect(stages.filter((s) => s.marks === "received").map((s) => s.key)).toEqual([stageMarked("received")]);
    expect(firstStage).toBe(stageKeys[0]);
  });
});
