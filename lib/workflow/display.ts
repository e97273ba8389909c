import { formatDate, formatDateTime } from "@/lib/format";
import type { FieldDef, FieldKey, FieldValues } from "./fields";
import { field as fieldDef } from "./stages";

/**
 * How a stored field value reads, by field kind: the order page, history sentences and rule
 * messages all show a value this one way. Pure, so the automation engine and the order commands
 * both read it from the definition without importing each other.
 */

const labelOf = (options: { value: string; label: string }[], v: unknown) => options.find((o) => o.value === v)?.label ?? String(v);

/** A stored field value as a person reads it. */
export function displayValue(key: FieldKey, values: FieldValues, timeZone = "UTC"): string | null {
  const v = values[key] as unknown;
  if (v === undefined || v === null || v === "") return null;
  const input: FieldDef["input"] = fieldDef(key).input;
  const part = (name: string) => (v as Record<string, unknown>)[name] as string | number | boolean | undefined;
  switch (input.kind) {
    case "date":
      return formatDate(String(v));
    case "dateTime":
      return formatDateTime(String(v), timeZone);
    case "select":
      return labelOf(input.options, v);
    case "integer":
      return input.suffix ? `${v} ${input.suffix}` : String(v);
    case "feasibility":
      return `${labelOf(input.options, part("decision"))}${part("reason") ? ` — ${part("reason")}` : ""}`;
    case "inspection":
      return `${labelOf(input.options, part("result"))}${part("notes") ? ` — ${part("notes")}` : ""}`;
    case "schedule":
      return `${formatDate(String(part("start")))} → ${formatDate(String(part("end")))}${part("confirmed") ? " (confirmed)" : ""}`;
    case "receipt":
      return `Confirmed by ${part("confirmedBy")}`;
    case "feedback":
      return `${part("rating")} / 5${part("comment") ? ` — ${part("comment")}` : ""}`;
    case "longText":
    case "text":
      return String(v);
  }
}
