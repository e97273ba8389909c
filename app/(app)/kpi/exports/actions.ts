"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { validatedAction } from "@/lib/auth/action";
import { startKpiExport } from "@/lib/kpi/export-jobs";
import { startExportSchema } from "@/lib/kpi/filters";

/** "Prepare the file": a KPI export above the direct bound, prepared in the background (lib/kpi/export-jobs.ts). */
export const startKpiExportAction = validatedAction(startExportSchema, (input, ctx) => startKpiExport(ctx, input), ({ job }) => {
  revalidatePath("/kpi/exports");
  redirect(`/kpi/exports#export-${job.id}`);
});
