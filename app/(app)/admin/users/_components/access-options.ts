import { isStoreScoped, roles } from "@/lib/workflow";
import type { CheckboxOption } from "@/components/ui/checkbox-group";

/** The roles as checkboxes, the store-scoped ones saying so. */
export const roleOptions: CheckboxOption[] = roles.map((r) => ({
  value: r.key,
  label: r.label,
  note: isStoreScoped(r.key) ? "Only the stores ticked below" : undefined,
}));

const storeScopedLabels = roles.filter((r) => isStoreScoped(r.key)).map((r) => r.label.toLowerCase());
export const storesHelp = `Only for ${storeScopedLabels.join(" and ")}s, who see and order for these stores alone; the other roles see every store.`;

/** Open stores, plus any archived store the account already has (kept, and marked), so a save does not drop it. */
export function storeOptions(stores: { id: number; name: string; archived: boolean }[], kept: number[] = []): CheckboxOption[] {
  return stores
    .filter((s) => !s.archived || kept.includes(s.id))
    .map((s) => ({ value: String(s.id), label: s.name, note: s.archived ? "Archived: takes no new orders" : undefined }));
}
