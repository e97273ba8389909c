import { z } from "zod";
import { checkboxSchema } from "@/lib/forms/fields";
import { idSchemaWith, textSchema } from "@/lib/forms/input";
import { roleKeys } from "@/lib/workflow";

/** Inputs of the automation pages, shared by their forms and server actions. */

export const priorities = ["low", "normal", "high"] as const;
export type Priority = (typeof priorities)[number];
export const priorityLabels: Record<Priority, string> = { low: "Low", normal: "Normal", high: "High" };

export const updateRuleSchema = z.object({
  ruleId: idSchemaWith("That rule could not be found: reload the page"),
  enabled: checkboxSchema,
  message: textSchema({
    min: 5,
    max: 300,
    singleLine: true,
    notText: "Write the message recipients get",
    tooShort: "Write a message of at least 5 characters",
    tooLong: "Keep the message under 300 characters: it is also the email's subject",
  }),
  recipientRole: z.enum(roleKeys, { error: "Choose who is notified" }),
  priority: z.enum(priorities, { error: "Choose a priority" }),
});
/** As submitted by the form: strings, a missing checkbox when unticked. */
export type UpdateRuleInput = Record<string, unknown>;

