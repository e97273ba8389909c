import type { FieldValues } from "@/lib/workflow";
import { displayValue, isFieldKey } from "@/lib/workflow";

/**
 * A rule's message may name the order's store and field values: `{store}` and `{<fieldKey>}`
 * (say `{trackingNumber}`), filled in when the rule fires, so the notification keeps what was
 * true then. An empty field reads "—"; an unknown placeholder stays as written.
 */
export function renderMessage(template: string, order: { fields: FieldValues; storeName: string }, timeZone = "UTC"): string {
  return template.replace(/\{([A-Za-z]+)\}/g, (whole, key: string) => {
    if (key === "store") return order.storeName;
    if (!isFieldKey(key)) return whole;
    return displayValue(key, order.fields, timeZone) ?? "—";
  });
}

/** Does the message name anything to fill in? */
export const hasPlaceholders = (template: string) => /\{[A-Za-z]+\}/.test(template);

/** Placeholders a message may use, for the rule form's hint. */
export const messagePlaceholders = ["{store}", "{orderQuantity}", "{requiredDeliveryDate}", "{shipmentMethod}", "{trackingNumber}", "{estimatedDeliveryTime}"];

/** Longest reason an alert quotes: the message is also the email's subject. */
const DETAIL_MAX = 300;

/** The message with its reason (the not-feasible reason, the inspection notes, the proposal), when it has one. */
export function withDetail(message: string, detail: string | null | undefined): string {
  const d = detail?.replace(/\s+/g, " ").trim();
  if (!d) return message;
  return `${message} — ${d.length > DETAIL_MAX ? `${d.slice(0, DETAIL_MAX - 1)}…` : d}`;
}
