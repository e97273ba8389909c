import { priorityLabels } from "@/lib/automation/schemas";
import { roles } from "@/lib/workflow";

/**
 * What an audit entry's before and after say, line by line, in words: roles by their labels,
 * stores by their names, flags as yes or no. Unknown keys (from an older version) are shown
 * as they are stored rather than dropped.
 */

type Names = { stores: Map<number, string> };
type Format = { label: string; show: (value: unknown, names: Names) => string; always?: boolean };

const yesNo = (v: unknown) => (v === true ? "yes" : v === false ? "no" : String(v));
const roleName = (key: unknown) => roles.find((r) => r.key === key)?.label ?? String(key);
const list = (items: string[]) => (items.length ? items.join(", ") : "none");

const formats: Record<string, Format> = {
  rule: { label: "Rule", show: String, always: true },
  name: { label: "Name", show: String },
  code: { label: "Code", show: String },
  roles: { label: "Roles", show: (v) => list(Array.isArray(v) ? v.map(roleName) : [String(v)]) },
  storeIds: { label: "Stores", show: (v, n) => list(Array.isArray(v) ? v.map((id) => n.stores.get(Number(id)) ?? `#${id}`) : [String(v)]) },
  active: { label: "Active", show: yesNo },
  timeZone: { label: "Time zone", show: (v) => String(v).replaceAll("_", " ") },
  enabled: { label: "Enabled", show: yesNo },
  message: { label: "Message", show: (v) => `“${String(v)}”` },
  recipientRole: { label: "Notify", show: roleName },
  priority: { label: "Priority", show: (v) => priorityLabels[v as keyof typeof priorityLabels] ?? String(v) },
  email: { label: "Email locked", show: yesNo },
  address: { label: "Address locked", show: yesNo },
};

const asRecord = (v: unknown): Record<string, unknown> | null => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

export function describeChanges(before: unknown, after: unknown, names: Names): string[] {
  const b = asRecord(before);
  const a = asRecord(after);
  if (!a && !b) return [];
  const keys = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])];
  const lines: string[] = [];
  for (const key of keys) {
    const f = formats[key] ?? { label: key, show: (v: unknown) => JSON.stringify(v) };
    const inB = b !== null && key in b;
    const inA = a !== null && key in a;
    if (inB && inA) {
      const same = JSON.stringify(b[key]) === JSON.stringify(a[key]);
      if (same && !f.always) continue;
      lines.push(same ? `${f.label}: ${f.show(a[key], names)}` : `${f.label}: ${f.show(b[key], names)} → ${f.show(a[key], names)}`);
    } else if (inA) lines.push(`${f.label}: ${f.show(a![key], names)}`);
    else lines.push(`${f.label}: ${f.show(b![key], names)} → (removed)`);
  }
  return lines;
}

export function AuditChanges({ before, after, names }: { before: unknown; after: unknown; names: Names }) {
  const lines = describeChanges(before, after, names);
  if (!lines.length) return null;
  return (
    <ul className="space-y-0.5 text-slate-700">
      {lines.map((l, i) => (
        <li key={i} className="break-words">
          {l}
        </li>
      ))}
    </ul>
  );
}
