"use server";

import { revalidatePath } from "next/cache";
import { validatedAction } from "@/lib/auth/action";
import { archiveFailReason, createFailReason, updateFailReason } from "@/lib/fail-reasons/commands";
import { archiveFailReasonSchema, createFailReasonSchema, updateFailReasonSchema } from "@/lib/fail-reasons/schemas";

/** The fail reasons page's server actions; each command checks the manageFailReasons grant itself. */

const refresh = () => {
  revalidatePath("/admin/fail-reasons");
  // The inspection form offers the open reasons; the KPI page names them.
  revalidatePath("/orders/[id]", "page");
};

export const createFailReasonAction = validatedAction(createFailReasonSchema, (input, ctx) => createFailReason(ctx, input), ({ reason }) => {
  refresh();
  return `Fail reason ${reason.label} added.`;
});

export const updateFailReasonAction = validatedAction(updateFailReasonSchema, (input, ctx) => updateFailReason(ctx, input), ({ reason }) => {
  refresh();
  return `Saved ${reason.label}.`;
});

export const archiveFailReasonAction = validatedAction(archiveFailReasonSchema, (input, ctx) => archiveFailReason(ctx, input), ({ reason }, { archived }) => {
  refresh();
  return archived ? `${reason.label} archived: inspections no longer offer it.` : `${reason.label} restored.`;
});
