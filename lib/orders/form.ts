import type { FieldDef, FieldKey, FieldValues, StageKey } from "@/lib/workflow";
import { stage as stageDef, productConditionOptions, productionStatusOptions, shipmentMethodOptions, feasibilityOptions } from "@/lib/workflow";
import { formatDate, formatDateTime } from "@/lib/format";

/** The parts a compound field's form controls are named by: `field.part`. */
export const fieldParts: Partial<Record<FieldDef["input"]["kind"], string[]>> = {
  feasibility: ["decision", "reason"],
  schedule: ["start", "end", "confirmed"],
  inspection: ["result", "notes"],
  receipt: ["confirmedBy"],
  feedback: ["rating", "comment"],
};

/**
 * Reads the given fields of a stage from a submitted form: plain fields by their key, compound
 * ones from `key.part` controls. A field whose controls are all empty reads as "" (clear it).
 */
export function readStageFields(stageKey: StageKey, formData: FormData, only: FieldKey[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const f of stageDef(stageKey).fields) {
    if (!only.includes(f.key)) continue;
    const parts = fieldParts[f.input.kind];
    if (!parts) {
      const v = formData.get(f.key);
      if (v !== null) values[f.key] = String(v).trim();
      continue;
    }
    const obj: Record<string, string> = {};
    let present = false;
    for (const p of parts) {
      const v = formData.get(`${f.key}.${p}`);
      if (v !== null) present = true;
      if (v !== null && String(v).trim() !== "") obj[p] = String(v).trim();
    }
    if (present) values[f.key] = Object.keys(obj).filter((k) => k !== "confirmed").length ? obj : "";
  }
  return values;
}

/** Flattens stored values to the strings the form controls show. */
export function formDefaults(values: FieldValues): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || value === null) continue;
    if (typeof value === "object") {
      for (const [part, v] of Object.entries(value as Record<string, unknown>)) {
        if (typeof v === "boolean") {
          if (v) out[`${key}.${part}`] = "on";
        } else if (v !== undefined && v !== null) out[`${key}.${part}`] = String(v);
      }
    } else if (key === "estimatedDeliveryTime") {
      out[key] = String(value).slice(0, 16);
    } else out[key] = String(value);
  }
  return out;
}

const labelOf = (options: { value: string; label: string }[], v: unknown) => options.find((o) => o.value === v)?.label ?? String(v);

/** A stored field value as a person reads it. */
export function displayValue(key: FieldKey, values: FieldValues): string | null {
  const v = values[key];
  if (v === undefined || v === null || v === "") return null;
  switch (key) {
    case "requiredDeliveryDate":
      return formatDate(values.requiredDeliveryDate!);
    case "orderFeasibility": {
      const f = values.orderFeasibility!;
      return `${labelOf(feasibilityOptions, f.decision)}${f.reason ? ` — ${f.reason}` : ""}`;
    }
    case "productionSchedule": {
      const s = values.productionSchedule!;
      return `${formatDate(s.start)} → ${formatDate(s.end)}${s.confirmed ? " (confirmed)" : ""}`;
    }
    case "productionStatus":
      return labelOf(productionStatusOptions, v);
    case "completionPercentage":
      return `${v} %`;
    case "qualityCheckResults": {
      const q = values.qualityCheckResults!;
      return `${q.result === "pass" ? "Pass" : "Fail"}${q.notes ? ` — ${q.notes}` : ""}`;
    }
    case "shipmentMethod":
      return labelOf(shipmentMethodOptions, v);
    case "estimatedDeliveryTime":
      return formatDateTime(values.estimatedDeliveryTime!);
    case "receiptConfirmation":
      return `Confirmed by ${values.receiptConfirmation!.confirmedBy}`;
    case "productCondition":
      return labelOf(productConditionOptions, v);
    case "customerFeedback": {
      const c = values.customerFeedback!;
      return `${c.rating} / 5${c.comment ? ` — ${c.comment}` : ""}`;
    }
    default:
      return String(v);
  }
}
