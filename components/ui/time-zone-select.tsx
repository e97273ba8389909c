import { describedBy, inputClass } from "@/components/ui/field";

/**
 * The IANA time zones the server accepts, as a select. Keyed by its default: React does not
 * update a select's default after mount, and the reset after a form action goes back to it.
 */
export function TimeZoneSelect({ id, defaultValue, timeZones, errors, help }: { id: string; defaultValue: string; timeZones: string[]; errors?: string[]; help?: string }) {
  return (
    <select key={defaultValue} id={id} name="timeZone" defaultValue={defaultValue} className={inputClass} {...describedBy(id, { errors, help })}>
      {timeZones.map((z) => (
        <option key={z} value={z}>
          {z.replaceAll("_", " ")}
        </option>
      ))}
    </select>
  );
}
