/** The events a webhook endpoint can subscribe to (SPEC.md "API and webhooks"), with what each means. */
export const webhookEventTypes = {
  "order.created": "An order was created (in the app or through the API).",
  "order.submitted": "The store completed Store Order: the order went to dispatch.",
  "order.stage_completed": "Any stage was completed; `data.stage` says which and where the order went.",
  "order.on_hold": "Dispatch found the order not feasible: it is on hold.",
  "order.proposal_sent": "Dispatch proposed an alternative (date and/or quantity) for a held order.",
  "order.shipped": "Dispatching was completed: the order is on its way to the store.",
  "order.completed": "The store confirmed receipt: the order is completed.",
  "order.cancelled": "The order was cancelled.",
  "inspection.recorded": "Quality control recorded an inspection.",
  "comment.created": "Someone commented on the order.",
} as const;

export type WebhookEventType = keyof typeof webhookEventTypes;
export const webhookEventKeys = Object.keys(webhookEventTypes) as [WebhookEventType, ...WebhookEventType[]];
/** Sent by "Send test event" on an endpoint's page, whatever it subscribes to. */
export const TEST_EVENT = "webhook.test";

/** The events as a form's checkboxes. */
export const webhookEventOptions = () => Object.entries(webhookEventTypes).map(([value, note]) => ({ value, label: value, note }));
