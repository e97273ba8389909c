import type { FieldKey, FieldValues, StageKey } from "@/lib/workflow";
import { compoundKinds, stage as stageDef } from "@/lib/workflow";

/** Between stored field values and the stage form's controls, by field kind. */

/**
 * Reads the given fields of a stage from a submitted form (as lib/forms/form-data.ts nests it):
 * plain fields by their key, compound ones from their `key.part` controls. A field whose
 * controls are all empty reads as "" (clear it).
 */
export function readStageFields(stageKey: StageKey, form: Record<string, unknown>, only: FieldKey[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const f of stageDef(stageKey).fields) {
    if (!only.includes(f.key)) continue;
    const raw = form[f.key];
    const compound = compoundKinds[f.input.kind];
    if (!compound) {
      if (raw !== undefined) values[f.key] = String(raw).trim();
      continue;
    }
    if (!raw || typeof raw !== "object") continue;
    const parts: Record<string, string> = {};
    for (const p of compound.parts) {
      const v = (raw as Record<string, unknown>)[p];
      if (v !== undefined && v !== null && String(v).trim() !== "") parts[p] = String(v).trim();
    }
    // A ticked confirmation alone is no value.
    values[f.key] = Object.keys(parts).filter((k) => k !== "confirmed").length ? parts : "";
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
    } else out[key] = String(value); // a date and time stays an ISO instant: the browser shows it in its zone
  }
  return out;
}
