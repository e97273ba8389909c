import type { RecipientSpec, RuleTrigger } from "@/db/schema";
import { describeRecipients, describeTrigger } from "@/lib/automation/describe";
import { priorityLabels } from "@/lib/automation/schemas";
import { roles } from "@/lib/workflow";

/**
 * What an audit entry's before and after say, line by line, in words: roles by their labels,
 * stores by their names, flags as yes or no, a rule's trigger and recipients as the sentence the
 * rules page writes. Unknown keys (from an older version) are shown as they are stored rather
 * than dropped.
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

/**
 * "When Shipment Method is set to “Courier” (stage 4, Dispatching) → The order's store managers",
 * in the words of lib/automation/describe.ts; null when the stored rule is not one this version
 * can read (it is then shown as stored).
 */
function ruleSentence(v: Record<string, unknown> | null): string | null {
  if (!v || !asRecord(v.trigger) || !Array.isArray(v.recipients)) return null;
  try {
    const when = describeTrigger(v.trigger as RuleTrigger);
    const who = describeRecipients(v.recipients as RecipientSpec[]);
    return typeof when === "string" && !who.includes("undefined") ? `${when} → ${who}` : null;
  } catch {
    return null;
  }
}

export function describeChanges(before: unknown, after: unknown, names: Names): string[] {
  const b = asRecord(before);
  const a = asRecord(after);
  if (!a && !b) return [];
  const keys = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])];
  const lines: string[] = [];
  // A rule: its name always (the entry has no other), its trigger and recipients as one sentence.
  const rule = { before: ruleSentence(b), after: ruleSentence(a) };
  const isRule = Boolean(rule.before ?? rule.after);
  for (const key of keys) {
    if (isRule && (key === "trigger" || key === "recipients")) {
      if (key === "recipients") continue;
      if (rule.before && rule.after && rule.before !== rule.after) lines.push(`Was: ${rule.before}`, `Now: ${rule.after}`);
      else lines.push((rule.after ?? rule.before)!);
      continue;
    }
    const f = { ...(formats[key] ?? { label: key, show: (v: unknown) => JSON.stringify(v) }), ...(isRule && key === "name" ? { always: true } : {}) };
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
        <li key={i} className="wrap-anywhere">
          {l}
        </li>
      ))}
    </ul>
  );
}
