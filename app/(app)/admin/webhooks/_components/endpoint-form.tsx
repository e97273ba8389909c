"use client";

import { useActionState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { OneTimeSecret } from "@/components/ui/one-time-secret";
import { ActionFeedback } from "@/components/order/action-feedback";
import type { ActionState } from "@/lib/result";
import { resendDeliveryAction, rotateWebhookSecretAction, sendTestEventAction, updateWebhookAction } from "../actions";
import { EndpointFields } from "./endpoint-fields";

type Endpoint = { id: number; url: string; description: string; events: string[]; storeId: number | null; enabled: boolean };

/** The endpoint's settings, with "enabled". After a save the form shows what is stored. */
export function EndpointForm({ endpoint, events, stores }: { endpoint: Endpoint; events: { value: string; label: string; note?: string }[]; stores: { id: number; name: string }[] }) {
  const [state, action] = useActionState(updateWebhookAction, {} as ActionState);
  const v = state.ok ? undefined : state.values;
  return (
    <form action={action} className="space-y-4" noValidate aria-label="Endpoint settings">
      <input type="hidden" name="endpointId" value={endpoint.id} />
      <ActionFeedback state={state} />
      <EndpointFields
        prefix={`endpoint-${endpoint.id}`}
        values={{ url: v?.url ?? endpoint.url, description: v?.description ?? endpoint.description, storeId: v?.storeId ?? (endpoint.storeId ? String(endpoint.storeId) : ""), events: endpoint.events }}
        errors={state.fieldErrors ?? {}}
        events={events}
        stores={stores}
      />
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="enabled" defaultChecked={endpoint.enabled} className="size-5 rounded border-slate-300 text-indigo-600" />
        Enabled: deliver events to this endpoint
      </label>
      <SubmitButton pendingText="Saving…">Save endpoint</SubmitButton>
    </form>
  );
}

export function RotateSecretForm({ endpointId }: { endpointId: number }) {
  const [state, action] = useActionState(rotateWebhookSecretAction, {} as ActionState);
  return (
    <div className="space-y-3">
      {state.ok && state.oneTimeSecret && (
        <OneTimeSecret
          title="New signing secret: copy it now"
          explanation="It is shown only this once. For 24 hours every delivery carries the old and the new signature, so the receiver can switch without missing one."
          label={`Endpoint ${state.oneTimeSecret.for}`}
          secret={state.oneTimeSecret.secret}
        />
      )}
      <form action={action} className="space-y-2" aria-label="Rotate the signing secret">
        <input type="hidden" name="endpointId" value={endpointId} />
        <ActionFeedback state={state} />
        <SubmitButton variant="secondary" pendingText="Rotating…">
          Rotate signing secret
        </SubmitButton>
      </form>
    </div>
  );
}

export function SendTestForm({ endpointId }: { endpointId: number }) {
  const [state, action] = useActionState(sendTestEventAction, {} as ActionState);
  return (
    <form action={action} className="space-y-2" aria-label="Send a test event">
      <input type="hidden" name="endpointId" value={endpointId} />
      <ActionFeedback state={state} />
      <SubmitButton variant="secondary" pendingText="Sending…">
        Send test event
      </SubmitButton>
    </form>
  );
}

export function ResendForm({ endpointId, deliveryId }: { endpointId: number; deliveryId: string }) {
  const [state, action] = useActionState(resendDeliveryAction, {} as ActionState);
  return (
    <form action={action} className="space-y-1" aria-label="Resend this delivery">
      <input type="hidden" name="endpointId" value={endpointId} />
      <input type="hidden" name="deliveryId" value={deliveryId} />
      <ActionFeedback state={state} />
      <SubmitButton variant="secondary" pendingText="Queuing…">
        Resend
      </SubmitButton>
    </form>
  );
}
