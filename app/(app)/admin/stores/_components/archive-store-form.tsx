"use client";

import { useActionState } from "react";
import { AskFirst } from "@/components/ui/ask-first";
import { SubmitButton } from "@/components/ui/button";
import { ActionFeedback } from "@/components/order/action-feedback";
import type { ActionState } from "@/lib/result";
import { archiveStoreAction } from "../actions";

/** Archive (no new orders; orders, history and KPIs stay) or restore a store; a store with open orders asks first. */
export function ArchiveStoreForm({ store }: { store: { id: number; name: string; archived: boolean } }) {
  const [state, action] = useActionState(archiveStoreAction, {} as ActionState);
  return (
    <form action={action} className="space-y-3" aria-label={store.archived ? `Restore ${store.name}` : `Archive ${store.name}`}>
      <input type="hidden" name="storeId" value={store.id} />
      <input type="hidden" name="archived" value={store.archived ? "false" : "true"} />
      <ActionFeedback state={state} />
      <AskFirst state={state} cancelHref="/admin/stores">
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
          <SubmitButton variant={store.archived ? "secondary" : "danger"} pendingText={store.archived ? "Restoring…" : "Archiving…"}>
            {store.archived ? "Restore" : "Archive"}
          </SubmitButton>
          <p className="text-xs text-slate-500">{store.archived ? "Restoring lets it take new orders again." : "Archiving stops new orders; its orders and history stay."}</p>
        </div>
      </AskFirst>
    </form>
  );
}
