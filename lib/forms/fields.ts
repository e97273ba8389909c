import { z } from "zod";

/**
 * A checkbox or flag: true for true, "on", "true" or "1"; anything else is false, an unticked
 * box (sent as nothing) included.
 */
export const checkboxSchema = z.preprocess((v) => v === true || v === "on" || v === "true" || v === "1", z.boolean());
