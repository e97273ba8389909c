import { formObject } from "@/lib/forms/form-data";
import { type FieldKey, type FieldValues, type InspectionResult, type StageKey, completion, field as fieldDef, isFieldKey, parseField, roleLabel, stage as stageDef } from "@/lib/workflow";
import { readStageFields } from "./form";

/** What a stage still needs before it can be completed, as the stage form shows it. */
export type StageChecklist = {
  missing: { key: string; text: string }[];
  openTodos: number;
  /** "moves it to …", "puts the order on hold", "completes the order". */
  outcome: string;
};

/** `photos`: the images attached in this stage so far (a stage's gate may ask for one). */
type Facts = { stage: StageKey; fields: FieldValues; doneTodos: string[]; latestInspection: InspectionResult | null; photos?: number };

/**
 * The stage form's checklist, through the same rules the server applies. The page computes it
 * for the stored order; the form loads this module only once a person edits a field (it brings
 * the field schemas, which the page's first load does not need), and recomputes it as they type.
 */
export function stageChecklist({ stage, fields, doneTodos, latestInspection, photos = 0 }: Facts): StageChecklist {
  const check = completion({ stage, fields, doneTodos }, latestInspection, photos);
  const missing = Object.entries(check.errors).map(([key, messages]) => {
    const f = isFieldKey(key.split(".")[0]) ? fieldDef(key.split(".")[0] as FieldKey) : undefined;
    const who = f?.recordedAs && f.editors ? ` (recorded by ${f.editors.map(roleLabel).join(", ")})` : "";
    return { key, text: `${messages[0]}${who}` };
  });
  const outcome = check.outcome.kind === "hold" ? "puts the order on hold" : check.outcome.kind === "complete" ? "completes the order" : `moves it to ${stageDef(check.outcome.to).name}`;
  return { missing, openTodos: check.openTodos.length, outcome };
}

/** The checklist for what the form holds now: the stored values with the edited fields as typed. */
export function typedChecklist(form: HTMLFormElement, edited: FieldKey[], facts: Facts): StageChecklist {
  const typed = readStageFields(facts.stage, formObject(new FormData(form)), edited);
  const next: FieldValues = { ...facts.fields };
  for (const [key, raw] of Object.entries(typed)) {
    const k = key as FieldKey;
    if (raw === "") delete next[k];
    else {
      const parsed = parseField(k, raw);
      if (parsed.ok) (next as Record<string, unknown>)[k] = parsed.value;
      else delete next[k];
    }
  }
  return stageChecklist({ ...facts, fields: next });
}
