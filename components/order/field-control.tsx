import type { ComponentType } from "react";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import type { FieldDef } from "@/lib/workflow";

export type ControlProps = {
  def: FieldDef;
  /** Form values as strings, keyed `field` or `field.part`. */
  values: Record<string, string>;
  errors: Record<string, string[]>;
  disabled?: boolean;
  /** The zone a date and time is shown and typed in (the form submits it as `timeZone`). */
  timeZone?: string;
};

/** What a field's controls are drawn from: its errors and values by part, and each control's common attributes. */
function controlHelpers({ def, values, errors, disabled }: ControlProps) {
  const id = def.key;
  const err = (part?: string) => errors[part ? `${def.key}.${part}` : def.key];
  const v = (part?: string) => values[part ? `${def.key}.${part}` : def.key] ?? "";
  const allErrors = Object.entries(errors)
    .filter(([k]) => k === def.key)
    .flatMap(([, e]) => e);
  const common = (part?: string) => ({
    id: part ? `${id}.${part}` : id,
    name: part ? `${def.key}.${part}` : def.key,
    disabled,
    className: inputClass,
    ...describedBy(part ? `${id}.${part}` : id, { help: part ? undefined : def.help, errors: err(part) }),
  });
  return { id, err, v, allErrors, common };
}

/** What the controls of a field of parts get: the field, and its helpers (no code of this module to import). */
export type CompoundProps = ControlProps & { helpers: ReturnType<typeof controlHelpers> };

/**
 * One output field as form controls, named `field` or `field.part`, with its errors beside it.
 * A field of parts (a decision with its reason, a schedule, a rating with a comment: lib/workflow
 * compoundKinds) is drawn by `compound` (compound-control.tsx), which only a form that may have
 * such a field passes (the stage form lazily: lazy-compound-control.ts), so a form of plain fields
 * ships none of their code (issue 17's JS budget).
 */
export function FieldControl({ compound: Compound, ...props }: ControlProps & { compound?: ComponentType<CompoundProps> }) {
  const { def, values, disabled, timeZone = "UTC" } = props;
  const helpers = controlHelpers(props);
  const { id, err, v, common } = helpers;
  const input = def.input;

  switch (input.kind) {
    case "longText":
      return (
        <Field id={id} label={def.label} required={def.required} help={def.help} errors={err()}>
          <textarea {...common()} rows={4} defaultValue={v()} required={def.required} />
        </Field>
      );
    case "text":
      return (
        <Field id={id} label={def.label} required={def.required} help={def.help} errors={err()}>
          <input {...common()} type="text" defaultValue={v()} required={def.required} autoComplete="off" />
        </Field>
      );
    case "integer":
      return (
        <Field id={id} label={def.label} required={def.required} help={def.help} errors={err()}>
          <div className="flex items-center gap-2">
            <input {...common()} type="number" inputMode="numeric" min={input.min} max={input.max} step={1} defaultValue={v()} required={def.required} className={`${inputClass} max-w-40`} />
            {input.suffix && <span className="text-sm text-slate-600">{input.suffix}</span>}
          </div>
        </Field>
      );
    case "date":
      return (
        <Field id={id} label={def.label} required={def.required} help={def.help} errors={err()}>
          <input {...common()} type="date" defaultValue={v()} required={def.required} className={`${inputClass} max-w-56`} />
        </Field>
      );
    case "dateTime": {
      // A wall time in the named zone, drawn by the server: it works before and without JavaScript.
      const help = [def.help, `Date and time in ${timeZone.replace(/_/g, " ")}.`].filter(Boolean).join(" ");
      return (
        <Field id={id} label={def.label} required={def.required} help={help} errors={err()}>
          <input {...common()} {...describedBy(id, { help, errors: err() })} type="datetime-local" defaultValue={v()} required={def.required} className={`${inputClass} max-w-64`} />
          {def.plans && (
            <label className="mt-2 flex items-center gap-2 text-sm">
              <input type="checkbox" name="confirmLateEstimate" defaultChecked={values.confirmLateEstimate === "on"} disabled={disabled} className="size-4 accent-indigo-600" />
              Confirm a time after the Required Delivery Date
            </label>
          )}
        </Field>
      );
    }
    case "select":
      return (
        <Field id={id} label={def.label} required={def.required} help={def.help} errors={err()}>
          <select {...common()} defaultValue={v()} required={def.required} className={`${inputClass} max-w-64`}>
            <option value="">Choose…</option>
            {input.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </Field>
      );
    default:
      if (!Compound) throw new Error(`The field ${def.key} has parts: its form passes their controls (compound-control.tsx)`);
      return <Compound {...props} helpers={helpers} />;
  }
}
