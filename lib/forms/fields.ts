import "./zod-setup";
import { z } from "zod";

/**
 * Form-value building blocks shared by every schema: what a submitted checkbox means, and how a
 * list of labelled choices becomes both a zod enum and the options a form shows.
 */

/** A checkbox or flag: true for true, "on", "true" or "1"; anything else (unticked: absent) is false. */
export const checkboxSchema = z.preprocess((v) => v === true || v === "on" || v === "true" || v === "1", z.boolean());

export type Option = { value: string; label: string };

/** One list of choices: its values (for z.enum and CHECK constraints), its options and labels. */
export function choices<const T extends Record<string, string>>(labels: T) {
  type Value = Extract<keyof T, string>;
  const values = Object.keys(labels) as [Value, ...Value[]];
  return {
    values,
    labels: labels as Record<Value, string>,
    options: Object.entries(labels).map(([value, label]) => ({ value, label })) as Option[],
    label: (value: Value) => labels[value],
  };
}
