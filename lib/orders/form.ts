import type { FieldDef, FieldKey, FieldValues, StageKey } from "@/lib/workflow";
import { compoundKinds, field as fieldDef, planField, stage as stageDef } from "@/lib/workflow";
import { normalizeText } from "@/lib/forms/input";
import { canonicalTimeZone } from "@/lib/forms/time-zones";
import { instantOfWallTime, wallTimeOf } from "@/lib/forms/wall-time";

/** Between stored field values and the stage form's controls, by field kind. */

/** The fields a stage's form carries: its own, and the plan it follows, which may still move (lib/workflow/clock.ts). */
function formFieldsOf(stageKey: StageKey): FieldDef[] {
  const plan = planField(stageKey);
  return plan ? [...stageDef(stageKey).fields, plan] : stageDef(stageKey).fields;
}

/** The zone the form's date-and-time controls were drawn in (its hidden `timeZone`), when it names one. */
export function formTimeZone(form: Record<string, unknown>): string | null {
  return typeof form.timeZone === "string" ? canonicalTimeZone(form.timeZone) : null;
}

/**
 * Reads the given fields of a stage (and the plan it follows, which may still move) from a
 * submitted form (as lib/forms/form-data.ts nests it):
 * plain fields by their key, compound ones from their `key.part` controls. A field whose
 * controls are all empty reads as "" (clear it). A date and time is typed as a wall time in the
 * zone the form names (`timeZone`, else `zone`) and read as the instant it means there.
 */
export function readStageFields(stageKey: StageKey, form: Record<string, unknown>, only: FieldKey[], zone = "UTC"): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const timeZone = formTimeZone(form) ?? zone;
  for (const f of formFieldsOf(stageKey)) {
    if (!only.includes(f.key)) continue;
    const raw = form[f.key];
    const compound = compoundKinds[f.input.kind];
    if (!compound) {
      if (raw === undefined) continue;
      const text = String(raw).trim();
      values[f.key] = f.input.kind === "dateTime" ? instantOfWallTime(text, timeZone) : text;
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

/** A field's controls as the strings they hold (normalised, empty ones left out), by part ("" for a plain field). */
function controlStrings(def: FieldDef, get: (part: string | null) => unknown): Record<string, string> | null {
  const out: Record<string, string> = {};
  const parts = compoundKinds[def.input.kind]?.parts ?? [null];
  for (const part of parts) {
    const v = get(part);
    if (v === undefined || v === null) continue;
    if (typeof v !== "string") return null; // a list or a file: not what the form draws
    const text = normalizeText(v);
    if (text !== "") out[part ?? ""] = text;
  }
  return out;
}

/**
 * The fields of `only` whose submitted controls differ from what the form drew for `drawn` (the
 * stored values of the version it was loaded at, as formDefaults flattens them): a plain HTML
 * form submits every field, and the server keeps only what the person changed.
 */
export function changedFields(stageKey: StageKey, form: Record<string, unknown>, only: FieldKey[], drawn: Record<string, string>): FieldKey[] {
  return formFieldsOf(stageKey)
    .filter((f) => only.includes(f.key))
    .filter((f) => {
      const raw = form[f.key];
      const submitted = controlStrings(f, (part) => (part === null ? raw : raw && typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, unknown>)[part] : undefined));
      const stored = controlStrings(f, (part) => drawn[part === null ? f.key : `${f.key}.${part}`]);
      return submitted === null || JSON.stringify(Object.entries(submitted).sort()) !== JSON.stringify(Object.entries(stored ?? {}).sort());
    })
    .map((f) => f.key);
}

/** Flattens stored values to the strings the form controls show; a date and time as its wall time in `zone`. */
export function formDefaults(values: FieldValues, zone = "UTC"): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || value === null) continue;
    if (typeof value === "object") {
      for (const [part, v] of Object.entries(value as Record<string, unknown>)) {
        if (typeof v === "boolean") {
          if (v) out[`${key}.${part}`] = "on";
        } else if (v !== undefined && v !== null) out[`${key}.${part}`] = String(v);
      }
    } else out[key] = fieldDef(key as FieldKey)?.input.kind === "dateTime" ? wallTimeOf(String(value), zone) : String(value);
  }
  return out;
}
