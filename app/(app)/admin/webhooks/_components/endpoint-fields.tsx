"use client";

import { CheckboxGroup } from "@/components/ui/checkbox-group";
import { Field, describedBy, inputClass } from "@/components/ui/field";

/** The fields of an endpoint, shared by the new-endpoint form and the endpoint's own. */
export function EndpointFields({
  prefix,
  values,
  errors,
  events,
  stores,
}: {
  prefix: string;
  values: { url?: string; description?: string; events: string[]; storeId?: string };
  errors: Record<string, string[] | undefined>;
  events: { value: string; label: string; note?: string }[];
  stores: { id: number; name: string }[];
}) {
  const id = (name: string) => `${prefix}-${name}`;
  const help = { url: "Where Makeline POSTs each event: https, and never a private or internal address.", storeId: "Only this store's orders; leave empty for every store." };
  return (
    <div className="space-y-4">
      <div className="grid gap-4 md:grid-cols-2">
        <Field id={id("url")} label="URL" required help={help.url} errors={errors.url}>
          <input id={id("url")} name="url" type="url" required maxLength={2000} autoComplete="off" spellCheck={false} defaultValue={values.url ?? ""} placeholder="https://erp.example.com/makeline" className={inputClass} {...describedBy(id("url"), { help: help.url, errors: errors.url })} />
        </Field>
        <Field id={id("description")} label="Description" errors={errors.description}>
          <input id={id("description")} name="description" maxLength={200} defaultValue={values.description ?? ""} className={inputClass} {...describedBy(id("description"), { errors: errors.description })} />
        </Field>
        <Field id={id("storeId")} label="Store" help={help.storeId} errors={errors.storeId}>
          <select id={id("storeId")} name="storeId" defaultValue={values.storeId ?? ""} className={inputClass} {...describedBy(id("storeId"), { help: help.storeId, errors: errors.storeId })}>
            <option value="">Every store</option>
            {stores.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <CheckboxGroup id={id("events")} name="events" legend="Events" required options={events} initial={values.events} errors={errors.events} />
    </div>
  );
}
