import { describedBy, Field, FieldErrors } from "@/components/ui/field";
import type { ReactNode } from "react";
import type { CompoundProps } from "./field-control";

/** A field of parts: its label as the group's legend, and its help under its parts. */
function Parts({ def, children }: { def: CompoundProps["def"]; children: ReactNode }) {
  return (
    <fieldset className="space-y-2" aria-describedby={def.help ? `${def.key}-help` : undefined}>
      <legend className="text-sm font-medium text-slate-800">
        {def.label}
        {def.required && <span className="ml-0.5 text-rose-600" aria-hidden="true">*</span>}
      </legend>
      {children}
      {def.help && <p id={`${def.key}-help`} className="text-xs text-slate-500">{def.help}</p>}
    </fieldset>
  );
}

/**
 * The controls of a field of parts (lib/workflow compoundKinds), each part named `field.part`:
 * loaded only by forms that have such a field (FieldControl's `compound`).
 */
export function CompoundControl({ def, values, disabled, helpers }: CompoundProps) {
  const { id, err, v, allErrors, common } = helpers;
  const input = def.input;
  switch (input.kind) {
    case "feasibility":
    case "inspection": {
      const choice = input.kind === "feasibility" ? "decision" : "result";
      const text = input.kind === "feasibility" ? "reason" : "notes";
      return (
        <Parts def={def}>
          <div className="flex flex-wrap gap-3" role="radiogroup" aria-invalid={err(choice)?.length ? true : undefined}>
            {input.options.map((o) => (
              <label key={o.value} className="flex min-h-10 cursor-pointer items-center gap-2 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm has-[:checked]:border-indigo-500 has-[:checked]:bg-indigo-50">
                <input type="radio" name={`${def.key}.${choice}`} value={o.value} defaultChecked={v(choice) === o.value} disabled={disabled} className="size-4 accent-indigo-600" aria-describedby={err(choice)?.length ? `${id}.${choice}-error` : undefined} />
                {o.label}
              </label>
            ))}
          </div>
          <FieldErrors id={`${id}.${choice}`} errors={err(choice)} />
          <FieldErrors id={id} errors={allErrors} />
          <div>
            <label htmlFor={`${id}.${text}`} className="block text-xs font-medium text-slate-600">
              {input.kind === "feasibility" ? "Reason (required when not feasible)" : "Notes (required for a fail)"}
            </label>
            <textarea {...common(text)} rows={2} defaultValue={v(text)} />
            <FieldErrors id={`${id}.${text}`} errors={err(text)} />
          </div>
        </Parts>
      );
    }
    case "schedule":
      return (
        <Parts def={def}>
          <FieldErrors id={id} errors={allErrors} />
          <div className="grid gap-3 sm:grid-cols-2">
            <div>
              <label htmlFor={`${id}.start`} className="block text-xs font-medium text-slate-600">Planned start</label>
              <input {...common("start")} type="date" defaultValue={v("start")} />
              <FieldErrors id={`${id}.start`} errors={err("start")} />
            </div>
            <div>
              <label htmlFor={`${id}.end`} className="block text-xs font-medium text-slate-600">Planned end</label>
              <input {...common("end")} type="date" defaultValue={v("end")} />
              <FieldErrors id={`${id}.end`} errors={err("end")} />
            </div>
          </div>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" name={`${def.key}.confirmed`} defaultChecked={v("confirmed") === "on"} disabled={disabled} className="size-4 accent-indigo-600" />
            Confirm an end after the Required Delivery Date
          </label>
          {/* Asked only when the schedule adds load to a day over the shop's capacity (decision 027). */}
          {(err("confirmOverload")?.length || values.confirmOverload === "on") && (
            <div className="space-y-1">
              <FieldErrors id={`${id}.confirmOverload`} errors={err("confirmOverload")} />
              <label className="flex items-center gap-2 text-sm font-medium text-amber-900">
                <input
                  type="checkbox"
                  id={`${id}.confirmOverload`}
                  name="confirmOverload"
                  defaultChecked={values.confirmOverload === "on"}
                  disabled={disabled}
                  className="size-4 accent-indigo-600"
                  {...describedBy(`${id}.confirmOverload`, { errors: err("confirmOverload") })}
                />
                Confirm a schedule over capacity
              </label>
            </div>
          )}
        </Parts>
      );
    case "receipt":
      return (
        <Field id={`${id}.confirmedBy`} label={`${def.label}: received by`} required={def.required} errors={[...(allErrors ?? []), ...(err("confirmedBy") ?? [])]}>
          <input {...common("confirmedBy")} type="text" autoComplete="name" defaultValue={v("confirmedBy")} placeholder="Name of the person who received it" />
        </Field>
      );
    case "feedback":
      return (
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-slate-800">{def.label}</legend>
          <FieldErrors id={id} errors={allErrors} />
          <div className="flex flex-wrap gap-2" role="radiogroup" aria-label="Rating from 1 to 5">
            {[1, 2, 3, 4, 5].map((n) => (
              <label key={n} className="flex min-h-10 min-w-10 cursor-pointer items-center justify-center gap-1 rounded-md border border-slate-300 bg-white px-3 text-sm has-[:checked]:border-indigo-500 has-[:checked]:bg-indigo-50">
                <input type="radio" name={`${def.key}.rating`} value={n} defaultChecked={v("rating") === String(n)} disabled={disabled} className="size-4 accent-indigo-600" />
                {n}
              </label>
            ))}
          </div>
          <FieldErrors id={`${id}.rating`} errors={err("rating")} />
          <label htmlFor={`${id}.comment`} className="block text-xs font-medium text-slate-600">Comment</label>
          <textarea {...common("comment")} rows={2} defaultValue={v("comment")} />
          <FieldErrors id={`${id}.comment`} errors={err("comment")} />
        </fieldset>
      );
    default:
      throw new Error(`The field ${def.key} has no parts`);
  }
}
