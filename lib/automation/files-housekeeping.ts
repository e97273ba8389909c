import "server-only";
import type { Db } from "@/db/client";
import { reportUnexpected } from "@/lib/errors";
import { removeExpiredExports, runStaleExportJobs } from "@/lib/kpi/export-jobs";
import { removeAbandonedUploads } from "@/lib/storage/housekeeping";

/**
 * The file store's upkeep, on the automation pass's schedule (decision 021): uploads never
 * attached and export files past their day are removed, and a background export whose runner
 * never started or died is run. A failure here is logged and never stops the pass.
 */
export async function tidyFiles(db: Db, now = new Date()): Promise<void> {
  for (const [what, work] of [
    ["removing abandoned uploads", () => removeAbandonedUploads(db, now)],
    ["removing expired exports", () => removeExpiredExports(db, now)],
    ["running stale export jobs", () => runStaleExportJobs(db, now)],
  ] as const) {
    try {
      await work();
    } catch (error) {
      reportUnexpected(what, error);
    }
  }
}
