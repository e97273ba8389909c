import { describedBy, Field, FieldErrors, inputClass } from "@/components/ui/field";
import type { FieldDef } from "@/lib/workflow";

type Props = {
  def: FieldDef;
  /** Form values as strings, keyed `field` or `field.part`. */
  values: Record<string, string>;
  errors: Record<string, string[]>;
  disabled?: boolean;
  /** The zone a date and time is shown and typed in (the form submits it as `timeZone`). */
  timeZone?: string;
};

/** One output field as form controls, named `field` or `field.part`, with its errors beside it. */
export function FieldControl({ def, values, errors, disabled, timeZone = "UTC" }: Props) {
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
    case "feasibility":
    case "inspection": {
      const choice = input.kind === "feasibility" ? "decision" : "result";
      const text = input.kind === "feasibility" ? "reason" : "notes";
      return (
        <fieldset className="space-y-2" aria-describedby={def.help ? `${id}-help` : undefined}>
          <legend className="text-sm font-medium text-slate-800">
            {def.label}
            {def.required && <span className="ml-0.5 text-rose-600" aria-hidden="true">*</span>}
          </legend>
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
          {def.help && <p id={`${id}-help`} className="text-xs text-slate-500">{def.help}</p>}
        </fieldset>
      );
    }
    case "schedule":
      return (
        <fieldset className="space-y-2" aria-describedby={def.help ? `${id}-help` : undefined}>
          <legend className="text-sm font-medium text-slate-800">
            {def.label}
            {def.required && <span className="ml-0.5 text-rose-600" aria-hidden="true">*</span>}
          </legend>
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
          {def.help && <p id={`${id}-help`} className="text-xs text-slate-500">{def.help}</p>}
        </fieldset>
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
  }
}
