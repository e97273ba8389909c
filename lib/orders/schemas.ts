import { z } from "zod";
import { checkboxSchema } from "@/lib/forms/fields";
import { MAX_INT4, idSchemaWith, textSchema, versionSchema, wholeNumberSchema } from "@/lib/forms/input";
import { type FieldKey, type FieldValue, field, fieldSchemas, isFieldKey, stageKeys } from "@/lib/workflow";

/** One schema per input, shared by the forms and the server actions. */

const orderId = idSchemaWith("This order could not be found: reload the page");
const version = versionSchema;

/** A required field: "<Label> is required" when left empty, else the field's own schema. */
function requiredField<K extends FieldKey>(key: K) {
  return z.unknown().transform((value, ctx): FieldValue<K> => {
    if (value === undefined || value === null || (typeof value === "string" && value.trim() === "")) {
      ctx.addIssue({ code: "custom", message: `${field(key).label} is required` });
      return z.NEVER;
    }
    const parsed = fieldSchemas[key].safeParse(value);
    if (parsed.success) return parsed.data as FieldValue<K>;
    for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
    return z.NEVER;
  });
}

/**
 * Files from a form: empty file inputs (size 0) are dropped. Their sizes are checked against the
 * upload limits by the command (lib/orders/attachments.ts), which knows the configured limits.
 */
const files = z
  .array(z.instanceof(File, { error: "Choose files to attach" }), { error: "Choose files to attach" })
  .optional()
  .transform((list) => (list ?? []).filter((f) => f.size > 0));

/**
 * Files the browser sent straight to storage (each field value one upload's id, from
 * POST /orders/uploads): a form names them instead of carrying them.
 */
const uploadNotFound = "An uploaded file was not found: choose it again";
const uploads = z
  .union([z.string(), z.array(z.string())], { error: uploadNotFound })
  .optional()
  .transform((v) => (v === undefined ? [] : [v].flat().filter((id) => id !== "")))
  .pipe(z.array(z.uuid({ error: uploadNotFound })).max(10, "Attach at most 10 files at once"));

export const createOrderSchema = z.object({
  storeId: idSchemaWith("Choose one of your stores"),
  productSpecifications: requiredField("productSpecifications"),
  orderQuantity: requiredField("orderQuantity"),
  requiredDeliveryDate: requiredField("requiredDeliveryDate"),
  attachments: files,
  uploads,
  /**
   * One per rendering of the form: a second post of the same form (a double click, a retried
   * request) finds the order the first one made instead of making another. Callers without a
   * form (the seed, the CLI) leave it out.
   */
  submissionToken: z.uuid({ error: "This form has expired: reload the page and submit it again" }).optional(),
});
export type CreateOrderInput = z.input<typeof createOrderSchema>;

/** Field values are checked one by one with their own schemas (see parseField). */
export const saveFieldsSchema = z.object({
  orderId,
  version,
  values: z.record(z.string(), z.unknown()),
  /** The person confirmed an Estimated Delivery Time after the Required Delivery Date. */
  confirmLateEstimate: checkboxSchema,
  /** The person confirmed a Production Schedule that adds load to a day over the shop's capacity. */
  confirmOverload: checkboxSchema,
});
export type SaveFieldsInput = Omit<z.input<typeof saveFieldsSchema>, "confirmLateEstimate" | "confirmOverload"> & { confirmLateEstimate?: unknown; confirmOverload?: unknown };

export const saveAndCompleteSchema = saveFieldsSchema.extend({ confirmOpenTodos: checkboxSchema });
export type SaveAndCompleteInput = Omit<z.input<typeof saveAndCompleteSchema>, "confirmOpenTodos" | "confirmLateEstimate" | "confirmOverload"> & {
  confirmOpenTodos?: unknown;
  confirmLateEstimate?: unknown;
  confirmOverload?: unknown;
};

/**
 * The stage form: which fields this account could edit (the rest stay untouched), whether to
 * complete the stage after saving, and the field controls themselves (`field` / `field.part`),
 * each then checked by its own field schema.
 */
export const saveStageSchema = z
  .object({
    orderId,
    version,
    stage: z.enum(stageKeys, { error: "This form is out of date: reload the page" }),
    intent: z.enum(["save", "complete"]).catch("save"),
    confirmOpenTodos: checkboxSchema,
    confirmLateEstimate: checkboxSchema,
    confirmOverload: checkboxSchema,
    editable: z
      .string({ error: "This form is out of date: reload the page" })
      .optional()
      .transform((s) => (s ?? "").split(",").filter(isFieldKey)),
    /** Files added with the stage's fields, in a stage that takes them (Store Received's photos). */
    photos: files,
  })
  .catchall(z.unknown());
export type SaveStageInput = z.output<typeof saveStageSchema>;

export const toggleTodoSchema = z.object({
  orderId,
  version,
  todo: z.string({ error: "Unknown to-do" }).regex(new RegExp(`^(${stageKeys.join("|")})\\.[A-Za-z]+$`), "Unknown to-do"),
  done: checkboxSchema,
});
export type ToggleTodoInput = z.input<typeof toggleTodoSchema>;

/** Ids ticked in a group of checkboxes: none, one (a string) or several; each once. */
const tickedIds = (message: string) =>
  z.preprocess(
    (v) => (v === undefined || v === null || v === "" ? [] : [v].flat()),
    z.array(idSchemaWith(message), { error: message }).max(50, message).transform((ids) => [...new Set(ids)]),
  );

/**
 * An inspection, and for a fail the reasons it names (one or more, from /admin/fail-reasons);
 * a reason that needs a note ("Other") is described in `failReasonNote`. The command checks the
 * ids against the list (decision 029). A pass names none: what was ticked is dropped.
 */
export const recordInspectionSchema = z
  .object({
    orderId,
    version,
    qualityCheckResults: fieldSchemas.qualityCheckResults,
    failReasons: tickedIds("Choose a fail reason from the list").optional(),
    failReasonNote: textSchema({ max: 500, tooLong: "Keep the note under 500 characters" }).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.qualityCheckResults.result === "fail" && !v.failReasons?.length) ctx.addIssue({ code: "custom", path: ["failReasons"], message: "Choose at least one fail reason" });
  })
  .transform((v) => ({ ...v, failReasons: v.qualityCheckResults.result === "pass" ? [] : (v.failReasons ?? []), failReasonNote: v.qualityCheckResults.result === "pass" ? undefined : v.failReasonNote }));
export type RecordInspectionInput = z.input<typeof recordInspectionSchema>;

/** Production's "Ready for re-inspection" after rework on a failed inspection, with what was done. */
export const readyForReinspectionSchema = z.object({
  orderId,
  version,
  note: textSchema({ max: 1000, tooLong: "Keep the note under 1000 characters" }).optional(),
});
export type ReadyForReinspectionInput = z.input<typeof readyForReinspectionSchema>;

export const completeStageSchema = z.object({
  orderId,
  version,
  confirmOpenTodos: checkboxSchema,
});
export type CompleteStageInput = z.input<typeof completeStageSchema>;

export const reviseOrderSchema = z.object({ orderId, version });
export type ReviseOrderInput = z.input<typeof reviseOrderSchema>;

export const cancelOrderSchema = z.object({
  orderId,
  version,
  reason: textSchema({ min: 3, max: 1000, tooShort: "Give a reason for cancelling", tooLong: "Keep the reason under 1000 characters", notText: "Give a reason for cancelling" }),
});
export type CancelOrderInput = z.input<typeof cancelOrderSchema>;

export const addAttachmentSchema = z
  .object({ orderId, version, attachments: files, uploads })
  .refine((v) => v.attachments.length + v.uploads.length > 0, { message: "Choose a file to attach", path: ["attachments"] });
export type AddAttachmentInput = z.input<typeof addAttachmentSchema>;

/**
 * Asking for a signed URL to send one file straight to storage: for an order being worked
 * (orderId) or one being created (storeId), with the file's name and exact size.
 */
export const prepareUploadSchema = z
  .object({
    orderId: idSchemaWith("This order could not be found: reload the page").optional(),
    storeId: idSchemaWith("Choose one of your stores").optional(),
    filename: textSchema({ min: 1, max: 255, singleLine: true, tooShort: "The file has no name", tooLong: "The file's name is too long: rename it", notText: "The file has no name" }),
    size: wholeNumberSchema({ min: 1, max: MAX_INT4, label: "The file's size" }),
  })
  .refine((v) => (v.orderId === undefined) !== (v.storeId === undefined), { message: "Say which order the file is for", path: ["orderId"] });
export type PrepareUploadInput = z.input<typeof prepareUploadSchema>;

// --- Conversation and people ----------------------------------------------------------------

export const COMMENT_MAX = 4000;
/** How long the author may still edit a comment. */
export const COMMENT_EDIT_WINDOW_MS = 10 * 60_000;

const commentBody = textSchema({ min: 1, max: COMMENT_MAX, notText: "Write a comment", tooShort: "Write a comment", tooLong: `Keep a comment under ${COMMENT_MAX} characters` });

export const addCommentSchema = z.object({ orderId, body: commentBody });
export type AddCommentInput = z.input<typeof addCommentSchema>;

export const editCommentSchema = z.object({ commentId: idSchemaWith("This comment could not be found: reload the page"), body: commentBody });
export type EditCommentInput = z.input<typeof editCommentSchema>;

/**
 * Claim (no account: the actor) or assign (an account; empty: nobody) the order's current stage.
 * The action parses the form and the command parses its input again, so what the schema gives
 * (null for nobody) parses to itself.
 */
export const assignStageSchema = z.object({
  orderId,
  version,
  accountId: z.union([z.literal("").transform(() => null), z.null(), z.literal("me"), idSchemaWith("Choose someone from the list")]).optional(),
});
export type AssignStageInput = z.input<typeof assignStageSchema>;

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema.optional());

export const proposeAlternativeSchema = z
  .object({
    orderId,
    version,
    requiredDeliveryDate: optional(fieldSchemas.requiredDeliveryDate),
    orderQuantity: optional(fieldSchemas.orderQuantity),
    note: textSchema({ max: 1000 }).optional(),
  })
  .refine((p) => p.requiredDeliveryDate !== undefined || p.orderQuantity !== undefined, {
    message: "Propose a delivery date, a quantity, or both",
    path: ["requiredDeliveryDate"],
  });
export type ProposeAlternativeInput = z.input<typeof proposeAlternativeSchema>;

export const acceptProposalSchema = z.object({ orderId, version });
export type AcceptProposalInput = z.input<typeof acceptProposalSchema>;

/**
 * "Ask for a replacement" of goods received damaged or not as specified: the new order's Store
 * Order fields, prefilled from the received order and checked as a new order's are.
 */
export const requestReplacementSchema = z.object({
  orderId,
  version,
  productSpecifications: requiredField("productSpecifications"),
  orderQuantity: requiredField("orderQuantity"),
  requiredDeliveryDate: requiredField("requiredDeliveryDate"),
});
export type RequestReplacementInput = z.input<typeof requestReplacementSchema>;
