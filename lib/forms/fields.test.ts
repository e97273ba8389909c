import { expect, test } from "vitest";
import { z } from "zod";
import { checkboxSchema } from "./fields";

test("a checkbox is ticked by true, \"on\", \"true\" or \"1\"; anything else, a missing one included, is unticked", () => {
  const form = z.object({ box: checkboxSchema });
  for (const v of [true, "on", "true", "1"]) expect(form.parse({ box: v })).toEqual({ box: true });
  for (const v of [false, "false", "", "off", 0, null]) expect(form.parse({ box: v })).toEqual({ box: false });
  expect(form.parse({})).toEqual({ box: false });
});
