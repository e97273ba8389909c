"use client";

import { SubmitButton } from "@/components/ui/button";
import { useCreateForm } from "@/components/ui/use-create-form";
import { OneTimeSecret } from "@/components/ui/one-time-secret";
import { ActionFeedback } from "@/components/order/action-feedback";
import { createWebhookAction } from "../actions";
import { EndpointFields } from "./endpoint-fields";

/** A new endpoint: its signing secret is shown once, here. */
export function CreateEndpointForm({ events, stores }: { events: { value: string; label: string; note?: string }[]; stores: { id: number; name: string }[] }) {
  const { state, action, created, values: v } = useCreateForm(createWebhookAction);
  // Ticked events are kept by the checkbox group itself across a refused submission.
  return (
    <div className="space-y-4">
      {state.ok && state.oneTimeSecret && (
        <OneTimeSecret
          title="Signing secret: copy it now"
          explanation="It is shown only this once. The receiver verifies each delivery's webhook-signature with it (Standard Webhooks)."
          label={`Endpoint ${state.oneTimeSecret.for}`}
          secret={state.oneTimeSecret.secret}
        />
      )}
      <form key={created} action={action} className="space-y-4" noValidate aria-label="New webhook endpoint">
        <ActionFeedback state={state} />
        <EndpointFields prefix="new" values={{ url: v?.url, description: v?.description, storeId: v?.storeId, events: [] }} errors={state.fieldErrors ?? {}} events={events} stores={stores} />
        <SubmitButton pendingText="Adding…">Add endpoint</SubmitButton>
      </form>
    </div>
  );
}
