import type { ReactNode } from "react";
import { FieldControl } from "@/components/order/field-control";
import type { FieldDef, FieldKey } from "@/lib/workflow";

/**
 * The current stage's fields as controls, each with what is shown beside it: inside the stage
 * form for someone who may edit or complete the stage, and on their own, disabled, for everyone
 * else (a store manager following an order in production, ops reading one). The read-only view is
 * drawn on the server and loads none of the form's script.
 */
export function StageFields({
  fields,
  values,
  errors = {},
  editable,
  timeZone,
  beside,
  keyOf = (key) => key,
}: {
  fields: FieldDef[];
  values: Record<string, string>;
  errors?: Record<string, string[]>;
  editable: FieldKey[];
  timeZone: string;
  beside?: Partial<Record<FieldKey, ReactNode>>;
  /** The control's React key: the form re-mounts a field to show what was submitted. */
  keyOf?: (key: FieldKey) => string;
}) {
  return fields.map((f) => (
    <div key={f.key} className="space-y-3">
      <FieldControl key={keyOf(f.key)} def={f} values={values} errors={errors} disabled={!editable.includes(f.key)} timeZone={timeZone} />
      {beside?.[f.key]}
    </div>
  ));
}
