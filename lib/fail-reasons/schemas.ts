import { z } from "zod";
import { checkboxSchema } from "@/lib/forms/fields";
import { textSchema } from "@/lib/forms/input";
import { idSchema } from "@/lib/workflow";

/** Inputs of /admin/fail-reasons, shared by its forms and commands (decision 029). */

const labelSchema = textSchema({ min: 1, max: 60, singleLine: true, tooShort: "Name the reason", tooLong: "Keep the name under 60 characters", notText: "Name the reason" });
/** Ticked: naming the reason asks the inspector for a note, as "Other" does. */
const needsNoteSchema = checkboxSchema.optional().transform((v) => v ?? false);

export const createFailReasonSchema = z.object({ label: labelSchema, needsNote: needsNoteSchema });
export type CreateFailReasonInput = z.input<typeof createFailReasonSchema>;

export const updateFailReasonSchema = z.object({ reasonId: idSchema, label: labelSchema, needsNote: needsNoteSchema });
export type UpdateFailReasonInput = z.input<typeof updateFailReasonSchema>;

/** Archive (inspections no longer offer it; the ones that named it keep it) or restore. */
export const archiveFailReasonSchema = z.object({ reasonId: idSchema, archived: checkboxSchema });
export type ArchiveFailReasonInput = z.input<typeof archiveFailReasonSchema>;
